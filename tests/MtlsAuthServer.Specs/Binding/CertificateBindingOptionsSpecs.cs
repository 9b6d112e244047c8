using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateBinding.JwtBearer;

namespace MtlsAuthServer.Specs.Binding;

/// <summary>The binding add-on keeps one <see cref="CertificateBindingOptions"/> per JwtBearer scheme (named options).</summary>
public sealed class CertificateBindingOptionsSpecs
{
    [Fact]
    public void Each_guarded_scheme_has_its_own_settings_and_an_unguarded_scheme_is_left_alone()
    {
        using var services = Services(authentication => authentication
            .AddJwtBearer("Partners").AddJwtBearer("Internal").AddJwtBearer("Legacy")
            .RequireCertificateBoundTokens("Partners")
            .RequireCertificateBoundTokens("Internal", options => options.RequireBinding = false));

        var bindings = services.GetRequiredService<IOptionsMonitor<CertificateBindingOptions>>();
        var bearers = services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>();
        var untouched = new JwtBearerEvents().OnTokenValidated;

        Assert.True(bindings.Get("Partners").RequireBinding);
        Assert.False(bindings.Get("Internal").RequireBinding);
        Assert.NotSame(untouched, bearers.Get("Partners").Events.OnTokenValidated);
        Assert.NotSame(untouched, bearers.Get("Internal").Events.OnTokenValidated);
        Assert.Same(untouched, bearers.Get("Legacy").Events.OnTokenValidated);
    }

    [Fact]
    public void Settings_configured_later_by_the_scheme_name_apply()
    {
        using var services = Services(
            authentication => authentication.AddJwtBearer().RequireCertificateBoundTokens(),
            collection => collection.Configure<CertificateBindingOptions>(JwtBearerDefaults.AuthenticationScheme, options => options.ErrorDescription = "Use your bound certificate."));

        Assert.Equal("Use your bound certificate.",
            services.GetRequiredService<IOptionsMonitor<CertificateBindingOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).ErrorDescription);
    }

    [Fact]
    public void A_certificate_scheme_that_is_not_registered_is_refused_naming_the_bearer_scheme()
    {
        using var services = Services(authentication => authentication.AddJwtBearer("Partners")
            .RequireCertificateBoundTokens("Partners", options => options.CertificateScheme = "Certificate"));

        var error = Assert.Throws<OptionsValidationException>(() =>
            services.GetRequiredService<IOptionsMonitor<CertificateBindingOptions>>().Get("Partners"));

        Assert.Contains("JwtBearer scheme 'Partners'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Certificate', which is not registered", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(
        Action<Microsoft.AspNetCore.Authentication.AuthenticationBuilder> authentication, Action<IServiceCollection>? more = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        authentication(collection.AddAuthentication());
        more?.Invoke(collection);
        return collection.BuildServiceProvider();
    }
}
