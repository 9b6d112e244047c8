using System.Diagnostics;
using System.Net;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>Bounded polling of the token endpoint until a certificate that was accepted is refused.</summary>
public static class LiveRevocation
{
    /// <summary>
    /// Requests tokens on the same (kept-alive) connection until one is refused or <paramref name="limit"/> passes;
    /// returns the refusal and how long after the call it came. Every earlier answer must be 200.
    /// </summary>
    public static async Task<(HttpResponseMessage Refusal, TimeSpan After)> WaitForRefusalAsync(HttpClient client, string clientId, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var refusal = await Eventually.ReachesAsync(
            async () =>
            {
                var response = await client.RequestTokenAsync(clientId);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    response.Dispose();
                    return null;
                }

                return response;
            },
            response => response is not null, $"'{clientId}' to be refused after the change", limit);
        return (refusal!, clock.Elapsed);
    }
}
