using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Haven.Web.Pages;

/// <summary>GOV.UK-style error pages. They never show exception details or personal data.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }
    public string Heading { get; private set; } = string.Empty;
    public IReadOnlyList<string> Lines { get; private set; } = [];
    public string Reference => HttpContext.TraceIdentifier;

    // Handlers take no parameters and read only the route, never the form: a re-executed request may carry a
    // body that could not be read (that may be why it failed in the first place).
    public IActionResult OnGet() => Render();

    public IActionResult OnPost() => Render();

    private IActionResult Render()
    {
        var code = int.TryParse(RouteData.Values["code"]?.ToString(), out var parsed) ? parsed : 404;
        Code = code is >= 400 and <= 599 ? code : 404;
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path;
        (Heading, Lines) = Code switch
        {
            400 => ("Sorry, there is a problem with your request",
                (IReadOnlyList<string>)["The page may have been open too long, or the form was sent from somewhere else.", "Go back, reload the page and try again."]),
            401 => ("You need to sign in", ["Sign in to use this page."]),
            403 => ("You do not have permission to see this page", ["Your role does not allow this. If you think you need it, ask your manager or system administrator."]),
            404 => ("Page not found", ["If you typed the web address, check it is correct.", "If you pasted the web address, check you copied the entire address."]),
            405 => ("Sorry, there is a problem with your request", ["This page cannot be used that way."]),
            429 => ("Too many requests", ["Wait a minute and try again."]),
            >= 500 => ("Sorry, there is a problem with the service", ["Try again later.", "We saved your answers only if you saw a confirmation."]),
            _ => ("Sorry, there is a problem with your request", ["Go back and try again."]),
        };

        if (original is not null && original.StartsWith("/api", StringComparison.Ordinal))
        {
            return new ObjectResult(new ProblemDetails { Status = Code, Title = Heading, Detail = Lines[0] }) { StatusCode = Code, ContentTypes = { "application/problem+json" } };
        }

        HttpContext.Response.StatusCode = Code;
        return Page();
    }
}
