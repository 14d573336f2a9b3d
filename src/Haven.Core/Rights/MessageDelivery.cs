using System.Net.Mail;
using Haven.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Rights;

/// <summary>Where Haven's emails go: an SMTP relay, or (with no relay configured) .eml files in a pickup directory.</summary>
public sealed record MailSettings(string From, string? SmtpHost, int SmtpPort, string PickupDirectory);

/// <summary>
/// Delivers queued emails (acknowledgements, requests for proof, extension notices, rectification notices, reminders).
/// Messages are claimed with FOR UPDATE SKIP LOCKED, so several Haven instances never send one twice. A message
/// whose address is a postal address is a letter: it stays in the request's correspondence until someone marks it
/// posted.
/// </summary>
public sealed class MessageDelivery(HavenDbContext db, MailSettings settings, TimeProvider clock)
{
    public async Task<int> DeliverAsync(CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = await db.Set<OutboundMessage>().FromSqlRaw(
                "SELECT * FROM outbound_messages WHERE sent_at IS NULL AND error IS NULL AND address LIKE '%_@_%' AND address NOT LIKE '%\n%' ORDER BY created_at LIMIT 50 FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        using var client = Client();
        foreach (var message in batch)
        {
            try
            {
                using var mail = new MailMessage(settings.From, message.Address!, message.Subject, message.Body);
                await client.SendMailAsync(mail, cancellationToken);
                message.SentAt = clock.GetUtcNow();
            }
            catch (Exception e) when (e is SmtpException or FormatException or InvalidOperationException or IOException)
            {
                message.Error = e.GetType().Name + ": " + e.Message;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return batch.Count(m => m.SentAt is not null);
    }

    private SmtpClient Client()
    {
        if (!string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            return new SmtpClient(settings.SmtpHost, settings.SmtpPort) { EnableSsl = settings.SmtpPort != 25 };
        }

        Directory.CreateDirectory(settings.PickupDirectory);
        return new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = settings.PickupDirectory };
    }
}
