using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>Assertions on the API's answers: the status, the RFC 6750 challenge, and the one reason logged for the request.</summary>
public static class ResourceApiAssertions
{
    /// <summary>Words a client-facing description must not contain: they would name the check or the library that failed.</summary>
    private static readonly string[] Internals = ["ID2", "openiddict", "x5t", "thumbprint", "cnf", "signature", "issuer", "audience", "expired", "introspect"];

    /// <summary>Runs <paramref name="call"/> and returns its response with the TokenRejected events it caused.</summary>
    public static async Task<(HttpResponseMessage Response, IReadOnlyList<CapturedLogEvent> Rejections)> ObserveAsync(ResourceApiHost api, Func<Task<HttpResponseMessage>> call)
    {
        var before = api.Rejections.Count;
        var response = await call();
        return (response, [.. api.Rejections.Skip(before)]);
    }

    public static void AssertInvalidToken(HttpResponseMessage response, IReadOnlyList<CapturedLogEvent> rejections, string reason, X509Certificate2? certificate)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.DoesNotContain("error_uri", challenge.Parameter, StringComparison.Ordinal);
        foreach (var word in Internals)
        {
            Assert.DoesNotContain(word, challenge.Parameter, StringComparison.OrdinalIgnoreCase);
        }

        AssertLogged(rejections, reason, certificate);
    }

    public static void AssertLogged(IReadOnlyList<CapturedLogEvent> rejections, string reason, X509Certificate2? certificate)
    {
        var thumbprint = certificate is null ? "-" : OAuth.Thumbprint(certificate);
        var logged = rejections.Select(e => $"{e["Reason"]} {e["Thumbprint"]}").ToList();
        Assert.True(logged.SequenceEqual([$"{reason} {thumbprint}"]),
            $"expected one '{reason}' rejection for {thumbprint}; logged: [{string.Join(" | ", rejections.Select(e => e.Message))}]");
    }
}
