using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Diagnostics;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// Checks a request to an OAuth endpoint under tight limits before OpenIddict sees it, and turns everything it
/// would choke on into the OAuth error shape (<c>invalid_request</c>) instead of a 500 or a bare 413: a
/// Content-Type other than a UTF-8 form (<see cref="FormContentType"/>), an oversized, malformed or
/// repeated-parameter body (RFC 6749 §3.1: parameters MUST NOT repeat), a parameter longer than
/// <see cref="OAuthParameterLimits"/> allows, in the body or the query. Each refusal is logged and counted
/// (<see cref="OAuthRequestRefusals"/>).
/// </summary>
public sealed class OAuthRequestGuard(RequestDelegate next, OAuthEndpointPaths endpoints, IOptions<ListenerOptions> listeners, OAuthRequestRefusals refusals)
{
    private readonly FormOptions _limits = new()
    {
        ValueCountLimit = 64,
        KeyLengthLimit = OAuthParameterLimits.Name,
        ValueLengthLimit = (int)Math.Min(listeners.Value.MaxRequestBodyBytes, int.MaxValue),
        MultipartBodyLengthLimit = listeners.Value.MaxRequestBodyBytes,
        BufferBody = false,
    };

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (endpoints.EndpointOf(request.Path) is not { } endpoint)
        {
            await next(context);
            return;
        }

        var refusal = FindTooLong(request.Query);
        if (refusal is null && HttpMethods.IsPost(request.Method))
        {
            refusal = await CheckBodyAsync(context);
        }

        if (refusal is { } refused)
        {
            refusals.Refused(endpoint, refused.Problem, context.Connection.RemoteIpAddress?.ToString(), refused.Description);
            var status = refused.Problem == RequestProblem.BodyTooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            await OAuthErrorResponse.WriteAsync(context, status, Errors.InvalidRequest, refused.Description);
            return;
        }

        await next(context);
    }

    private async Task<(RequestProblem Problem, string Description)?> CheckBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (FormContentType.Check(request.ContentType) is { } unsupported)
        {
            return unsupported;
        }

        // Everything after this point (the form reader, OpenIddict) sees one canonical value: UTF-8 is the default.
        request.ContentType = FormContentType.MediaType;
        context.Features.Set<IFormFeature>(new FormFeature(request, _limits));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(context.RequestAborted);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (RequestProblem.BodyTooLarge, "The request body is too large.");
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (RequestProblem.MalformedForm, "The request body is not a valid form.");
        }

        var repeated = form.FirstOrDefault(field => field.Value.Count > 1).Key;
        return repeated is not null
            ? (RequestProblem.RepeatedParameter, $"The '{Shorten(repeated)}' parameter must not be repeated.")
            : FindTooLong(form);
    }

    private static (RequestProblem Problem, string Description)? FindTooLong(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> parameters)
    {
        foreach (var (name, values) in parameters)
        {
            if (name.Length > OAuthParameterLimits.Name)
            {
                return (RequestProblem.ParameterTooLong, $"A parameter name is longer than {OAuthParameterLimits.Name} characters.");
            }

            var limit = OAuthParameterLimits.For(name);
            if (values.Any(value => value?.Length > limit))
            {
                return (RequestProblem.ParameterTooLong, $"The '{Shorten(name)}' parameter is longer than {limit} characters.");
            }
        }

        return null;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40];
}
