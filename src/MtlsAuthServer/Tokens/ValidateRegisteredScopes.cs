using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// OpenIddict's check that every requested scope is registered (RFC 6749 §5.2 <c>invalid_scope</c>), answered from
/// <see cref="ScopeResourceCatalog"/> instead of one scope-store query per token request: it takes the place of
/// <see cref="OpenIddictServerHandlers.Exchange.ValidateScopes"/>, at its position, with the same rule and answer.
/// Whether the client may use the scope is still OpenIddict's <c>ValidateScopePermissions</c> (its permissions).
/// </summary>
public sealed partial class ValidateRegisteredScopes(ScopeResourceCatalog catalog, ILogger<ValidateRegisteredScopes> logger)
    : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireScopeValidationEnabled>()
            .UseSingletonHandler<ValidateRegisteredScopes>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateScopes.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var requested = context.Request.GetScopes();
        if (requested.IsDefaultOrEmpty)
        {
            return;
        }

        var names = requested.ToHashSet(StringComparer.Ordinal);
        names.ExceptWith(context.Options.Scopes); // registered in the server options (none here, as in OpenIddict's rule)
        if (names.Count == 0)
        {
            return;
        }

        var unknown = await catalog.FindUnregisteredAsync(names, context.CancellationToken);
        if (unknown.Count != 0)
        {
            LogUnregisteredScopes(logger, string.Join(' ', unknown));
            context.Reject(
                error: Errors.InvalidScope,
                description: OpenIddictResources.FormatID2052(Parameters.Scope),
                uri: OpenIddictResources.FormatID8000(OpenIddictResources.ID2052));
        }
    }

    // OpenIddict's event for the same rejection (ID6080), so logs read as before.
    [LoggerMessage(EventId = 6080, EventName = "UnregisteredScopesRequested", Level = LogLevel.Information,
        Message = "The token request was rejected because invalid scopes were specified: {Scopes}.")]
    private static partial void LogUnregisteredScopes(ILogger logger, string scopes);
}
