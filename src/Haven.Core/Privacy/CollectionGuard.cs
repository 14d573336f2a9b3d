using Haven.Core.Audit;
using Haven.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Privacy;

/// <summary>The register service a piece of collection falls under, or why there is none.</summary>
public sealed record CollectionScope(Guid OrganisationId, string OrganisationCode, string OrganisationName, ServiceEntry? Service, string? Problem)
{
    public IEnumerable<DataItem> Declared => Service?.Activities.SelectMany(a => a.Categories) ?? [];

    public bool Declares(string category) => Declared.Any(d => Taxonomy.Covers(d.Category, category));
}

/// <summary>
/// The collection enforcement point: before anything is stored, every filled field's data category must be declared
/// by the organisation's register, in force today, for the service the work falls under. A refusal gives the user a
/// clear message per field and is audited. Services in Core call this as part of their validation, so a form and
/// the API are held to the same rule.
/// </summary>
public sealed class CollectionGuard(HavenDbContext db, RegisterService register, AuditWriter audit, IAuditActorAccessor actor)
{
    /// <summary>
    /// Which service the acting user's work for an organisation falls under: their team's service when the team
    /// belongs to that organisation, otherwise the organisation's case-record service.
    /// </summary>
    public async Task<CollectionScope> ScopeAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisationId, cancellationToken);
        var loaded = await register.InForceAsync(organisationId, cancellationToken: cancellationToken);
        if (loaded is null)
        {
            return new CollectionScope(organisation.Id, organisation.ShortName, organisation.Name, null,
                $"{organisation.Name} has no privacy register in force, so Haven cannot record personal data for it. Ask your Data Protection Officer to import the register");
        }

        string? teamService = null;
        if (actor.Current.UserId is { } userId)
        {
            teamService = await (from u in db.Users
                                 join t in db.Teams on u.TeamId equals t.Id
                                 where u.Id == userId && t.OrganisationId == organisationId
                                 select t.ServiceCode).SingleOrDefaultAsync(cancellationToken);
        }

        var service = teamService is not null
            ? loaded.Document.Service(teamService)
            : loaded.Document.Services.FirstOrDefault(s => s.HoldsCaseRecords);
        if (service is null)
        {
            var problem = teamService is not null
                ? $"Your team's work falls under the service '{teamService}', which {organisation.Name}'s privacy register does not describe. Ask your Data Protection Officer to correct the register or your team"
                : $"{organisation.Name}'s privacy register has no service that holds case records, so Haven cannot record personal data for it";
            return new CollectionScope(organisation.Id, organisation.ShortName, organisation.Name, null, problem);
        }

        return new CollectionScope(organisation.Id, organisation.ShortName, organisation.Name, service, null);
    }

    /// <summary>The scope for the acting user's own organisation (a new record belongs to it).</summary>
    public async Task<CollectionScope?> ScopeForCurrentUserAsync(CancellationToken cancellationToken = default)
    {
        if (actor.Current.UserId is not { } userId)
        {
            return null;
        }

        var organisationId = await db.Users.Where(u => u.Id == userId).Select(u => u.OrganisationId).SingleAsync(cancellationToken);
        return await ScopeAsync(organisationId, cancellationToken);
    }

    /// <summary>Checks an input about an existing person; see <see cref="CheckAsync(Guid, object, Guid?, CancellationToken)"/>.</summary>
    public async Task<Dictionary<string, string>> CheckForPersonAsync(Guid personId, object input, CancellationToken cancellationToken = default)
    {
        var person = await db.People.Where(p => p.Id == personId).Select(p => new { p.OrganisationId, p.ProcessingRestricted }).SingleAsync(cancellationToken);
        if (person.ProcessingRestricted)
        {
            // Art. 18: while processing is restricted nothing new is recorded about the person. One message for the form.
            var field = CollectionPoints.Filled(input).Select(f => f.Field).FirstOrDefault()
                ?? CollectionPoints.Of(input.GetType()).Select(p => p.Field).FirstOrDefault() ?? "PersonId";
            await audit.RecordAsync(new AuditEntry(RegisterAuditActions.CollectionRefused, [personId], "processing restricted",
                $"{input.GetType().Name}: processing of the record is restricted"), cancellationToken);
            return new Dictionary<string, string>
            {
                [field] = "Processing of this record is restricted at the person's request, so nothing can be added to it or changed until the restriction is lifted. Ask your Data Protection Officer",
            };
        }

        return await CheckAsync(person.OrganisationId, input, personId, cancellationToken);
    }

    /// <summary>
    /// Field-keyed errors for every filled field whose category the register does not declare (empty when all is
    /// declared). Each refusal is recorded in the audit log with the categories and fields, never the values.
    /// </summary>
    public async Task<Dictionary<string, string>> CheckAsync(Guid organisationId, object input, Guid? personId, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var filled = CollectionPoints.Filled(input);
        if (filled.Count == 0)
        {
            return errors;
        }

        var scope = await ScopeAsync(organisationId, cancellationToken);
        var refused = new List<(string Field, string Category)>();
        foreach (var (field, category) in filled)
        {
            if (scope.Problem is not null)
            {
                // One message for the whole form: the problem is the organisation's, not any one field's.
                if (errors.Count == 0)
                {
                    errors.Add(field, scope.Problem);
                }

                refused.Add((field, category));
            }
            else if (!scope.Declares(category))
            {
                errors.TryAdd(field,
                    $"{scope.OrganisationName}'s privacy notice for {scope.Service!.Name} does not say it collects {Taxonomy.BuiltIn.Label(category).ToLowerInvariant()}, so Haven cannot record it. Leave it out, or ask your Data Protection Officer to add it to the register");
                refused.Add((field, category));
            }
        }

        if (refused.Count > 0)
        {
            await audit.RecordAsync(new AuditEntry(RegisterAuditActions.CollectionRefused, personId is { } id ? [id] : null, "privacy register",
                $"{scope.OrganisationCode}/{scope.Service?.Code ?? "(no service)"}: {string.Join(", ", refused.Select(r => r.Category).Distinct())} in {input.GetType().Name} {string.Join(", ", refused.Select(r => r.Field))}"),
                cancellationToken);
        }

        return errors;
    }
}
