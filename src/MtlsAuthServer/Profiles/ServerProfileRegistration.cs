using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Profiles;

public static class ServerProfileRegistration
{
    /// <summary>Binds the root key <c>Profile</c> and refuses a start whose configuration the profile does not allow.</summary>
    public static WebApplicationBuilder AddServerProfile(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServerProfileOptions>()
            .Configure(options => options.Profile = Read(builder.Configuration))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServerProfileOptions>, Fapi2ProfileValidator>();
        return builder;
    }

    /// <summary>The configured profile; an unknown name refuses the start naming the key.</summary>
    public static ServerProfile Read(IConfiguration configuration)
    {
        var value = configuration[ServerProfileOptions.Key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return ServerProfile.Standard;
        }

        return Enum.TryParse<ServerProfile>(value.Trim(), ignoreCase: true, out var profile) && Enum.IsDefined(profile)
            ? profile
            : throw new InvalidDataException($"{ServerProfileOptions.Key}: '{value}' is not a profile; use {string.Join(" or ", Enum.GetNames<ServerProfile>())}.");
    }
}
