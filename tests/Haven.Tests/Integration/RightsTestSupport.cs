using Haven.Core.Rights;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>Shared steps for the other-rights tests: a request with identity confirmed and the subject linked, and services in a scope.</summary>
internal static class RightsTestSupport
{
    public const string Dora = "dora.dpo@demo.haven.test";
    public const string Iris = "iris.rights@demo.haven.test";
    public const string Ian = "ian.governance@demo.haven.test";
    public const string Sam = "sam.worker@demo.haven.test";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<Guid> UserAsync(HavenFactory factory, string email) =>
        factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct));

    public static Task<Guid> OrganisationAsync(HavenFactory factory, string code) =>
        factory.WithDbAsync(db => db.Organisations.Where(o => o.ShortName == code).Select(o => o.Id).SingleAsync(Ct));

    public static async Task<T> WithAsync<TService, T>(HavenFactory factory, Func<TService, Task<T>> work)
        where TService : notnull
    {
        using var scope = factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>A request received by email, identity confirmed, with the subject's record linked.</summary>
    public static async Task<Guid> RequestAsync(HavenFactory factory, string[] rights, Guid? personId, string relationship = RightsCodes.RelationshipSelf,
        string organisation = "afc", string staffEmail = Dora)
    {
        var staff = await UserAsync(factory, staffEmail);
        var (errors, submitted) = await WithAsync<RightsRequestService, (IReadOnlyDictionary<string, string>, SubmittedRequest?)>(factory, s => s.SubmitAsync(
            new RightsRequestInput(organisation, rights, relationship, "Amara Clarke", "amara.requester@example.test", null, null, "Amara Clarke", null, null, null,
                "Please act on my record as set out in my letter", Channel: "email"), staff, Ct));
        Assert.Empty(errors);
        var id = submitted!.Id;
        Assert.Empty(await WithAsync<RightsRequestService, IReadOnlyDictionary<string, string>>(factory, s => s.RecordIdentityAsync(staff, id, true, "photo_id", null, Ct)));
        if (relationship is RightsCodes.RelationshipParent or RightsCodes.RelationshipRepresentative)
        {
            Assert.Empty(await WithAsync<RightsRequestService, IReadOnlyDictionary<string, string>>(factory, s => s.RecordAuthorityAsync(staff, id, true, "Birth certificate seen", Ct)));
        }

        if (personId is { } person)
        {
            Assert.Empty(await WithAsync<RightsRequestService, IReadOnlyDictionary<string, string>>(factory, s => s.MatchSubjectAsync(staff, id, person, Ct)));
        }

        return id;
    }

    public static Task<List<RightsRequestDecision>> DecisionsAsync(HavenFactory factory, Guid requestId) =>
        factory.WithDbAsync(db => db.Set<RightsRequestDecision>().AsNoTracking().Where(d => d.RequestId == requestId).ToListAsync(Ct));

    public static Task<List<OutboundMessage>> MessagesAsync(HavenFactory factory, Guid requestId) =>
        factory.WithDbAsync(db => db.Set<OutboundMessage>().AsNoTracking().Where(m => m.RequestId == requestId).OrderBy(m => m.CreatedAt).ToListAsync(Ct));

    public static Task<List<string>> AuditActionsAsync(HavenFactory factory, string prefix) =>
        factory.WithDbAsync(db => db.AuditEvents.AsNoTracking().Where(a => a.Action.StartsWith(prefix)).OrderBy(a => a.Seq).Select(a => a.Action).ToListAsync(Ct));
}
