using Haven.Core.Data;
using Haven.Core.People;
using Haven.Core.Retention;
using Haven.Core.Validation;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Haven.Core.Rights;

public sealed record ErasureResult(IReadOnlyDictionary<string, string> Errors, string? Message);

/// <summary>
/// Erasure (UK GDPR Art. 17). Granted: the matched records and everything linked to them are destroyed in one
/// transaction, under the same legal-hold check as the retention sweep; the request keeps only the subject's name as
/// given, and the decision records counts. Refused: with an Art. 17(3) ground and a reason. A legal hold refuses it
/// automatically and nothing is deleted.
/// </summary>
public sealed class ErasureService(HavenDbContext db, RightsRequestService requests, LegalHoldService holds, TimeProvider clock)
{
    public async Task<ErasureResult> DecideAsync(Guid userId, Guid requestId, bool erase, string? ground, string? reason, CancellationToken cancellationToken = default)
    {
        string? message = null;
        var errors = await requests.ChangeAsync(userId, requestId, "Outcome", async (request, errors) =>
        {
            await RightsDecisions.CheckAsync(db, request, RightsCodes.Erasure, acting: erase, errors, "Outcome", cancellationToken);
            if (!erase && (string.IsNullOrEmpty(ground) || !RightsCodes.ErasureRefusals.IsValid(ground)))
            {
                errors.TryAdd("Ground", "Select the lawful ground for refusing erasure");
            }

            RightsRequestService.Check(errors, "Reason", reason, erase ? "What was erased, as told to the requester" : "Why erasure is refused", 2000, required: true, multiline: true);
            if (errors.Count > 0)
            {
                return null;
            }

            var clean = TextInput.Clean(reason!);
            if (!erase)
            {
                Refuse(request, userId, ground!, clean);
                message = "Erasure refused. The requester has been sent the reason and told how to complain.";
                return (OtherRightsAuditActions.ErasureDecided, $"Erasure refused. Ground: {RightsCodes.ErasureRefusals.LabelFor(ground)}. {clean}", null);
            }

            var ids = await db.Set<RightsRequestSubject>().Where(s => s.RequestId == request.Id).Select(s => s.PersonId).ToArrayAsync(cancellationToken);
            if (ids.Length == 0)
            {
                errors["Outcome"] = "Link the person's record to the request before erasing it";
                return null;
            }

            if (await db.People.AnyAsync(p => ids.Contains(p.Id) && p.ProcessingRestricted, cancellationToken))
            {
                errors["Outcome"] = "Processing of this record is restricted, so it cannot be erased while the restriction lasts. Tell the person and lift the restriction first";
                return null;
            }

            // The legal-hold enforcement point, under the share lock the retention sweep and merges take: a hold placed
            // at this moment waits for this transaction or is seen by it. The people are locked so nothing else changes them.
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE legal_holds IN SHARE MODE", cancellationToken);
            await db.Database.SqlQueryRaw<Guid>("SELECT id AS \"Value\" FROM people WHERE id = ANY(@ids) FOR UPDATE", new NpgsqlParameter("ids", ids)).ToListAsync(cancellationToken);
            if ((await holds.HeldAsync(ids, cancellationToken: cancellationToken)).Count > 0)
            {
                const string HeldReason = "A legal hold is in force on this record, so it must not be destroyed while the hold lasts.";
                Refuse(request, userId, "legal_hold", HeldReason);
                message = "The record is under a legal hold, so nothing was erased. The erasure has been refused on the ground of the legal hold and the requester told.";
                return (OtherRightsAuditActions.ErasureRefusedHeld, "Erasure refused automatically: a legal hold covers the record. Nothing was deleted.", null);
            }

            // Counts of what goes, for the decision: numbers only, never what the rows said.
            var all = (await db.Database.SqlQueryRaw<Guid>("SELECT id AS \"Value\" FROM people WHERE id = ANY(@ids) OR merged_into_id = ANY(@ids)",
                new NpgsqlParameter("ids", ids)).ToListAsync(cancellationToken)).ToArray();
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["people"] = all.Length };
            foreach (var (table, column) in PersonLinks.Columns.Where(c => c.Table != "people"))
            {
                // Table and column names come from the fixed list, never from input.
                var sql = "SELECT count(*)::int AS \"Value\" FROM " + table + " WHERE " + column + " = ANY(@ids)";
                var count = await db.Database.SqlQueryRaw<int>(sql, new NpgsqlParameter("ids", all)).SingleAsync(cancellationToken);
                if (count > 0)
                {
                    counts[table] = counts.GetValueOrDefault(table) + count;
                }
            }

            await PersonDisposal.DestroyAsync(db, ids, cancellationToken);
            // The request keeps only the name the requester gave for the subject.
            request.SubjectOtherNames = null;
            request.SubjectDateOfBirth = null;
            request.SubjectAddress = null;
            RightsDecisions.Add(db, clock, request, userId, RightsCodes.Erasure, OtherRightsCodes.Granted, null, clean, new { erased = counts });
            requests.QueueToRequester(request, "erasure_done", $"Your request {request.Reference}: information erased",
                RightsDecisions.Letter(request, $"""
                    We have erased the information we held, as you asked.

                    {clean}
                    """));
            message = $"Erased: {all.Length} record{(all.Length == 1 ? "" : "s")} and {counts.Where(c => c.Key != "people").Sum(c => c.Value)} linked entries were destroyed.";
            return (OtherRightsAuditActions.ErasureDecided, $"Erasure granted: {all.Length} record(s) and {counts.Where(c => c.Key != "people").Sum(c => c.Value)} linked entries destroyed.", null);
        }, cancellationToken);
        return new ErasureResult(errors, errors.Count == 0 ? message : null);
    }

    private void Refuse(RightsRequest request, Guid userId, string ground, string reason)
    {
        RightsDecisions.Add(db, clock, request, userId, RightsCodes.Erasure, OtherRightsCodes.Refused, ground, reason, null);
        requests.QueueToRequester(request, "erasure_refused", $"Your request {request.Reference}: erasure",
            RightsDecisions.Letter(request, $"""
                We cannot erase the information we hold. The reason in law is: {RightsCodes.ErasureRefusals.LabelFor(ground)}.

                {reason}

                {OtherRightsCodes.ComplaintRight}
                """));
    }
}
