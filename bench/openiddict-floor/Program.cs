// The floor for an OpenIddict-based token endpoint on this machine: the same TLS setup as the Kestrel ceiling
// (../shared/bench/kestrel-baseline: client certificate required, chained to the bench root by SslStream) plus
// OpenIddict 7.8 issuing an ES256 JWT for client_credentials and nothing else: degraded mode (no client store, no
// client authentication beyond the TLS handshake), no token storage, no certificate binding, no logging.
// bench/run.sh measures it beside our server, so "ours / floor" is the cost of what MtlsAuthServer adds.
//
// env: PKI (the bench PKI directory), PORT, SIGNING_KEY (EC private key PEM); listens on 127.0.0.1 only.
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

var pki = Environment.GetEnvironmentVariable("PKI") ?? throw new InvalidOperationException("PKI is not set");
var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "8449", System.Globalization.CultureInfo.InvariantCulture);
var signingKeyPath = Environment.GetEnvironmentVariable("SIGNING_KEY") ?? throw new InvalidOperationException("SIGNING_KEY is not set");

var root = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "root.crt")));
var intermediate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "int.crt")));
var serverCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(pki, "server.crt"), Path.Combine(pki, "server.key"));
var clientChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
clientChainPolicy.CustomTrustStore.Add(root);
clientChainPolicy.ExtraStore.Add(intermediate);
clientChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));

var signingKey = ECDsa.Create();
signingKey.ImportFromPem(File.ReadAllText(signingKeyPath));

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
    {
        ServerCertificate = serverCertificate,
        ServerCertificateChain = [intermediate],
        ClientCertificateMode = ClientCertificateMode.RequireCertificate,
        OnAuthenticate = (_, ssl) => ssl.CertificateChainPolicy = clientChainPolicy.Clone(),
    }));
});

builder.Services.AddOpenIddict().AddServer(server =>
{
    server.SetIssuer(new Uri($"https://127.0.0.1:{port}/"))
        .SetTokenEndpointUris("token")
        .AllowClientCredentialsFlow()
        // The benchmark's request names a scope (as real clients do): declared here, it is checked without a store.
        .RegisterScopes("api:read", "api:write")
        .EnableDegradedMode()
        .DisableTokenStorage()
        .DisableAccessTokenEncryption()
        .AddSigningKey(new ECDsaSecurityKey(signingKey))
        .AddEphemeralEncryptionKey();

    // Degraded mode leaves client validation to the host; the floor knows one client and trusts the handshake.
    server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
    {
        if (context.ClientId != "client1")
        {
            context.Reject(Errors.InvalidClient);
        }

        return default;
    }));

    server.AddEventHandler<HandleTokenRequestContext>(handler => handler.UseInlineHandler(context =>
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, context.ClientId).SetScopes(context.Request.GetScopes());
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        context.SignIn(new ClaimsPrincipal(identity));
        return default;
    }));

    server.UseAspNetCore();
});

var app = builder.Build();
app.UseAuthentication();
app.Run();
