using System.Diagnostics.Metrics;
using MtlsAuthServer.ServiceDefaults.Logging;

namespace MtlsAuthServer.Diagnostics;

/// <summary>Why an OAuth request was refused before OpenIddict saw it (the <c>Problem</c> of event 4500 and the metric's tag).</summary>
public enum RequestProblem
{
    UnsupportedMediaType,
    UnsupportedCharset,
    MalformedContentType,
    BodyTooLarge,
    MalformedForm,
    RepeatedParameter,
    ParameterTooLong,

    /// <summary>An OAuth endpoint asked for on a listener that does not serve it (public or management).</summary>
    WrongListener,
}

/// <summary>
/// Logs (event 4500) and counts (<c>mtls_auth.oauth_requests_refused{endpoint, problem}</c>) each request the
/// <c>OAuthRequestGuard</c> refuses. Nothing of the request is logged but its problem, the parameter name concerned
/// (cut and escaped) and the sender's address.
/// </summary>
public sealed class OAuthRequestRefusals
{
    public const string RefusalsName = "mtls_auth.oauth_requests_refused";

    private readonly ILogger<OAuthRequestRefusals> _logger;
    private readonly Counter<long> _refusals;

    public OAuthRequestRefusals(ILogger<OAuthRequestRefusals> logger, IMeterFactory meters)
    {
        _logger = logger;
        _refusals = meters.Create(AuthenticationMetrics.MeterName).CreateCounter<long>(
            RefusalsName, unit: "{request}", description: "OAuth requests refused before client authentication, by problem.");
    }

    public void Refused(string endpoint, RequestProblem problem, string? sender, string detail)
    {
        _refusals.Add(1, new("endpoint", endpoint), new("problem", problem.Code()));
        SecurityLog.OAuthRequestRefused(_logger, endpoint, problem.Code(), sender ?? "-", LogValue.Clean(detail, LogValue.MaxDetailLength));
    }
}

public static class RequestProblemCodes
{
    public static string Code(this RequestProblem problem) => problem switch
    {
        RequestProblem.UnsupportedMediaType => "unsupported_media_type",
        RequestProblem.UnsupportedCharset => "unsupported_charset",
        RequestProblem.MalformedContentType => "malformed_content_type",
        RequestProblem.BodyTooLarge => "body_too_large",
        RequestProblem.MalformedForm => "malformed_form",
        RequestProblem.RepeatedParameter => "repeated_parameter",
        RequestProblem.ParameterTooLong => "parameter_too_long",
        RequestProblem.WrongListener => "wrong_listener",
        _ => "unknown",
    };
}
