using Haven.Core.Access;
using Haven.Core.CaseWork;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People.CaseWork;

/// <summary>Uploads a document or photo. The form is read within the size limit before antiforgery checks it (see UploadLimitAttribute).</summary>
[UploadLimit]
public sealed class NewDocumentModel(RecordAccessService access, DocumentService documents) : CaseWorkFormModel(access)
{
    [BindProperty]
    public string? Title { get; set; }

    public string MaxSize => documents.Options.MaxUploadDescription;

    public async Task<IActionResult> OnGetAsync(Guid id, string? problem)
    {
        if (await OpenAsync(id, "record case work") is { } refused)
        {
            return refused;
        }

        if (problem == UploadLimitAttribute.TooLargeProblem)
        {
            AddError("File", documents.Options.TooLargeMessage);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await OpenAsync(id, "record case work") is { } refused)
        {
            return refused;
        }

        var file = Request.Form.Files.GetFile("File");
        byte[]? content = null;
        if (file is not null && file.Length <= documents.Options.MaxRequestBytes)
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, HttpContext.RequestAborted);
            content = buffer.ToArray();
        }
        else if (file is not null)
        {
            content = [];
            AddError("File", documents.Options.TooLargeMessage);
        }

        var result = await documents.UploadAsync(User.UserId(), id, new DocumentInput(Title, Source, file?.FileName, content),
            validateOnly: Errors.Count > 0, HttpContext.RequestAborted);
        if (result.Saved)
        {
            return Saved("Document uploaded");
        }

        ShowErrors(result.Errors, "File", "Title", "Source");
        return Page();
    }
}
