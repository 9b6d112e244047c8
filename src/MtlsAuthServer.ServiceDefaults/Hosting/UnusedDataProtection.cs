using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace MtlsAuthServer.ServiceDefaults.Hosting;

/// <summary>
/// ASP.NET Core's authentication registers Data Protection, whose hosted service loads the key ring at start-up: on a
/// first start it generates a key and writes it, unencrypted, under <c>$HOME/.aspnet</c> (and warns so in the log), and
/// every start reads it. Nothing in these hosts protects data with it: tokens are JWTs signed with the configured keys,
/// and neither cookies, antiforgery nor OpenIddict's Data Protection formats are used. So the start-up load goes; were
/// anything ever to ask for a protector, the key ring would still be made on that first use.
/// </summary>
public static class UnusedDataProtection
{
    // Internal to ASP.NET Core, so matched by name; DataProtectionSpecs fail if a rename brings the start-up load back.
    private const string KeyRingLoader = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    /// <summary>Call after everything that registers authentication.</summary>
    public static WebApplicationBuilder SkipDataProtectionKeyRingAtStartup(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IHostedService) && services[i].ImplementationType?.FullName == KeyRingLoader)
            {
                services.RemoveAt(i);
            }
        }

        return builder;
    }
}
