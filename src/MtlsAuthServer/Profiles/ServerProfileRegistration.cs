using Microsoft.Extensions.Options;
using MtlsAuthServer.Hosting;
using MtlsAuthServer.Tokens;

namespace MtlsAuthServer.Profiles;

public static class ServerProfileRegistration
{
    /// <summary>Binds the root key <c>Profile</c> and refuses a start whose configuration the profile does not allow.</summary>
    public static WebApplicationBuilder AddServerProfile(this WebApplicationBuilder builder)
    {
        // Not the binder: an unknown name is refused with the profiles there are, not with the binder's type name.
        builder.Services.AddSection<ServerProfileOptions>(string.Empty, Read);
        builder.Services.AddSingleton<IValidateOptions<TokenOptions>, Fapi2ProfileValidator>();
        return builder;
    }

    private static void Read(IConfiguration configuration, ServerProfileOptions options)
    {
        var value = configuration[ServerProfileOptions.Key];
        if (string.IsNullOrWhiteSpace(value))
        {
            options.Profile = ServerProfile.Standard;
        }
        else if (Enum.TryParse<ServerProfile>(value.Trim(), ignoreCase: true, out var profile) && Enum.IsDefined(profile))
        {
            options.Profile = profile;
        }
        else
        {
            ConfigurationSections.RecordFailure(options, $"{ServerProfileOptions.Key}: '{value}' is not a profile; use {string.Join(" or ", Enum.GetNames<ServerProfile>())}.");
        }
    }
}
