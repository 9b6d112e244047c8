namespace MtlsAuthServer.Tokens;

/// <summary>Signing-key rollover events (4800–4809).</summary>
public static partial class SigningKeyLog
{
    [LoggerMessage(EventId = 4800, EventName = "SigningKeyScheduled", Level = LogLevel.Information,
        Message = "Signing key {Section} (kid {KeyId}, {Algorithm}): published {PublishedFrom} to {PublishedUntil}, signs {SignsFrom} to {SignsUntil}")]
    public static partial void Scheduled(ILogger logger, string section, string keyId, string algorithm, string publishedFrom, string publishedUntil, string signsFrom, string signsUntil);

    [LoggerMessage(EventId = 4801, EventName = "NextSigningKeyWithinLeadTime", Level = LogLevel.Warning,
        Message = "Signing key {Section} (kid {KeyId}) signs from {SignsFrom}, in {Remaining}: less than the lead time {LeadTime}. Resource servers that cached the JWKS before it was published may not know it yet (they refetch on an unknown kid); give new keys a later SignsFrom")]
    public static partial void NextWithinLeadTime(ILogger logger, string section, string keyId, DateTimeOffset signsFrom, TimeSpan remaining, TimeSpan leadTime);

    [LoggerMessage(EventId = 4802, EventName = "RetiredSigningKeyUnpublished", Level = LogLevel.Information,
        Message = "Signing key {Section} (kid {KeyId}) is no longer published (every token it signed has expired since {PublishedUntil}); it can be removed from the configuration")]
    public static partial void NoLongerPublished(ILogger logger, string section, string keyId, DateTimeOffset publishedUntil);

    [LoggerMessage(EventId = 4803, EventName = "SigningKeyRolledOver", Level = LogLevel.Information,
        Message = "Tokens are now signed with {Section} (kid {KeyId}, {Algorithm}); the key it replaced stays published until {PreviousPublishedUntil}. Promote it to Tokens:SigningKey:Path (and the old key to Tokens:SigningKey:Previous with RetiredAt {RetiredAt}) at the next deployment")]
    public static partial void RolledOver(ILogger logger, string section, string keyId, string algorithm, DateTimeOffset previousPublishedUntil, DateTimeOffset retiredAt);
}
