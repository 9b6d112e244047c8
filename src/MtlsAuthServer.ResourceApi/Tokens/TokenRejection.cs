using MtlsAuthServer.ResourceApi.Diagnostics;
using OpenIddict.Validation;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>A refusal decided by our own handlers, kept on the OpenIddict transaction until the challenge logs it.</summary>
public sealed record TokenRejection(TokenRejectionReason Reason, string Detail, string? ClientId = null)
{
    private static readonly string Key = typeof(TokenRejection).FullName!;

    public static void Record(OpenIddictValidationTransaction transaction, TokenRejection rejection) => transaction.Properties[Key] = rejection;

    public static TokenRejection? Find(OpenIddictValidationTransaction? transaction) =>
        transaction is not null && transaction.Properties.TryGetValue(Key, out var value) ? value as TokenRejection : null;
}
