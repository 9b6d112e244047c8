using Microsoft.AspNetCore.Routing.Matching;

namespace MtlsAuthServer.Hosting;

/// <summary>Marks an endpoint as reachable only on the management listener's port.</summary>
public sealed record ManagementListenerOnly(int Port);

/// <summary>
/// Makes endpoints marked <see cref="ManagementListenerOnly"/> match only connections accepted on the management
/// port, so on the mTLS and public listeners they don't exist (404). The check uses the socket's local port,
/// not the Host header: a host match (<c>RequireHost</c>) is chosen by the client, which could otherwise reach
/// <c>/metrics</c> or <c>/health</c> through the client listeners by sending the management port in Host.
/// </summary>
public sealed class ManagementListenerPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<ManagementListenerOnly>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var port = httpContext.Connection.LocalPort;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && candidates[i].Endpoint.Metadata.GetMetadata<ManagementListenerOnly>() is { } only && only.Port != port)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
