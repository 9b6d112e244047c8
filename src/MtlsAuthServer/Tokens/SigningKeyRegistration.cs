using System.Globalization;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Profiles;
using OpenIddict.Server;

namespace MtlsAuthServer.Tokens;

public static class SigningKeyRegistration
{
    /// <summary>
    /// The signing-key schedule of <c>Tokens:SigningKey</c>, loaded once from the validated options; every configured
    /// key registered with OpenIddict (its JWKS and its own token validation then know them all) and the handlers that
    /// sign with the scheduled one and publish each key only inside its window.
    /// </summary>
    public static OpenIddictServerBuilder UseSigningKeySchedule(this OpenIddictServerBuilder server)
    {
        server.Services.AddSingleton(services =>
        {
            var tokens = services.GetRequiredService<IOptions<TokenOptions>>().Value;
            return SigningKeySchedule.Load(tokens.SigningKey, tokens.AccessTokenLifetime, services.GetRequiredService<IOptions<ServerProfileOptions>>().Value.Profile);
        });
        server.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, RegisterScheduledSigningKeys>();
        server.Services.AddHostedService<SigningKeyScheduleReport>();
        return server.AddEventHandler(SignWithScheduledKey.Descriptor).AddEventHandler(PublishScheduledSigningKeys.Descriptor);
    }
}

/// <summary>Gives OpenIddict every key of the schedule, current first, as its signing credentials.</summary>
public sealed class RegisterScheduledSigningKeys(SigningKeySchedule schedule) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options) => options.SigningCredentials.AddRange(schedule.Keys.Select(key => key.Credentials));
}

/// <summary>Logs the schedule once at start-up, so an operator sees which key signs when and what can be removed.</summary>
public sealed class SigningKeyScheduleReport(SigningKeySchedule schedule, IOptions<TokenOptions> tokens, TimeProvider time, ILogger<SigningKeyScheduleReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leadTime = tokens.Value.SigningKey.LeadTime;
        foreach (var key in schedule.Keys)
        {
            SigningKeyLog.Scheduled(logger, key.Section, key.KeyId, key.Algorithm,
                Format(key.PublishedFrom), Format(key.PublishedUntil), Format(key.SignsFrom), Format(key.SignsUntil));
            if (key.Role == SigningKeyRole.Next && key.SignsFrom > now && key.SignsFrom - now < leadTime)
            {
                SigningKeyLog.NextWithinLeadTime(logger, key.Section, key.KeyId, key.SignsFrom, key.SignsFrom - now, leadTime);
            }

            if (key.Role == SigningKeyRole.Previous && now >= key.PublishedUntil)
            {
                SigningKeyLog.NoLongerPublished(logger, key.Section, key.KeyId, key.PublishedUntil);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Format(DateTimeOffset instant) =>
        instant == DateTimeOffset.MinValue ? "always" : instant == DateTimeOffset.MaxValue ? "open-ended" : instant.ToString("O", CultureInfo.InvariantCulture);
}
