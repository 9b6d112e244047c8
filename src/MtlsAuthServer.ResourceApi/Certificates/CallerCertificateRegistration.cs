using Microsoft.Extensions.DependencyInjection.Extensions;
using MtlsAuthServer.ResourceApi.Hosting;

namespace MtlsAuthServer.ResourceApi.Certificates;

public static class CallerCertificateRegistration
{
    /// <summary>Trust anchors (read and checked now, so a bad path stops the start) and the caller-certificate validator.</summary>
    public static WebApplicationBuilder AddCallerCertificateValidation(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(TrustAnchorOptions.Section).Get<TrustAnchorOptions>() ?? new TrustAnchorOptions();
        var environment = builder.Environment;
        var anchors = TrustAnchors.Load(
            ConfiguredPath.Resolve(environment, settings.Path),
            settings.IntermediatesPath is { Length: > 0 } intermediates ? ConfiguredPath.Resolve(environment, intermediates) : null,
            TrustAnchorOptions.Section);

        builder.Services.AddOptions<ClientCertificateOptions>().BindConfiguration(ClientCertificateOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(anchors);
        builder.Services.AddSingleton<CallerCertificateValidator>();
        return builder;
    }
}
