using OpenIddict.Validation;
using OpenIddict.Validation.SystemNetHttp;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>What the token server answered when it refused this API's own introspection request (RFC 7662 §2.3).</summary>
public sealed record TokenServerRefusal(int Status, string Error, string? Description);

/// <summary>
/// OpenIddict turns any error answer to the introspection request into <c>server_error</c>, which reads as "the token
/// server did not answer". This keeps what the token server said (HTTP status, OAuth error such as
/// <c>invalid_client</c>) on the API request, for the audit log; it runs before OpenIddict releases the HTTP response.
/// </summary>
public sealed class RecordTokenServerRefusal(IHttpContextAccessor accessor) : IOpenIddictValidationHandler<ExtractIntrospectionResponseContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ExtractIntrospectionResponseContext>()
            .UseSingletonHandler<RecordTokenServerRefusal>()
            .SetOrder(OpenIddictValidationSystemNetHttpHandlers.DisposeHttpResponse<ExtractIntrospectionResponseContext>.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ExtractIntrospectionResponseContext context)
    {
        if (context.Response is { Error: { Length: > 0 } error } response && accessor.HttpContext is { } http)
        {
            var status = context.Transaction.GetHttpResponseMessage() is { } message ? (int)message.StatusCode : 0;
            http.Features.Set(new TokenServerRefusal(status, error, response.ErrorDescription));
        }

        return ValueTask.CompletedTask;
    }
}
