using Haven.Core.CaseWork;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace Haven.Web.Infrastructure;

public static class CaseWorkStartup
{
    /// <summary>Case work services and the document upload limit (<c>Haven:Documents:MaxUploadBytes</c>, default 10 MB).</summary>
    public static IServiceCollection AddHavenCaseWork(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DocumentOptions>().Bind(configuration.GetSection(DocumentOptions.Section))
            .Validate(o => o.MaxUploadBytes is > 0 and <= 1024L * 1024 * 1024, "Haven:Documents:MaxUploadBytes must be between 1 byte and 1 GB.")
            .ValidateOnStart();
        services.AddScoped<CaseWorkService>();
        services.AddScoped<DocumentService>();
        return services;
    }
}

/// <summary>
/// Reads an upload form within the configured size, for both the upload page and the API. The request body limit
/// (Kestrel's, and the multipart limit) is set per request to the upload limit plus room for the other fields, so an
/// oversize upload is recognised here and answered with a clear message rather than a reset connection or a 500.
/// </summary>
public static class UploadForm
{
    /// <summary>True when the form was read (or there is no form); false when the request is too large.</summary>
    public static async Task<bool> TryReadAsync(HttpContext http, DocumentOptions options)
    {
        var limit = options.MaxRequestBytes;
        if (http.Request.ContentLength > limit)
        {
            return false;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        if (!http.Request.HasFormContentType)
        {
            return true;
        }

        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions
        {
            MultipartBodyLengthLimit = limit,
            ValueLengthLimit = 64 * 1024,
            ValueCountLimit = 100,
        }));
        try
        {
            await http.Request.ReadFormAsync(http.RequestAborted);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }
    }
}

/// <summary>
/// On the upload page, reads the form before antiforgery validation does (which would otherwise fail on an oversize
/// body with a bare 400) and sends an oversize upload back to the form with the GOV.UK error message.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class UploadLimitAttribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    public const string TooLargeProblem = "too-large";

    public int Order => -1000;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return;
        }

        var options = http.RequestServices.GetRequiredService<IOptions<DocumentOptions>>().Value;
        if (!await UploadForm.TryReadAsync(http, options))
        {
            context.Result = new RedirectResult(http.Request.Path + "?problem=" + TooLargeProblem);
        }
    }
}
