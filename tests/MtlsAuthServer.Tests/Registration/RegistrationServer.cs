using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Registration;

/// <summary>One token server with registration enabled (initial access token and a registration CA), shared by a spec class.</summary>
public sealed class RegistrationServer : IDisposable
{
    public RegistrationServer()
    {
        Pki = TestPki.Create();
        Registrar = TestPki.Create(organization: "Registrar Org");
        var registrationCa = Path.Combine(Pki.Folder, "registration-ca.pem");
        File.WriteAllText(registrationCa, File.ReadAllText(Registrar.TrustAnchorsPath) + File.ReadAllText(Registrar.IntermediatesPath));
        Host = TokenServerHost.Start(Pki, settings =>
        {
            DynamicRegistration.Enable(settings).AddTlsClient("configured", "tls_client_auth_subject_dn", "CN=configured,O=Test Org");
            settings["Registration:CaPath"] = registrationCa;
            settings["Registration:PermitsPerMinute"] = "1000";
        });
    }

    public TestPki Pki { get; }

    /// <summary>A separate PKI whose CA is the registration CA (not a client trust anchor).</summary>
    public TestPki Registrar { get; }

    public TokenServerHost Host { get; }

    public void Dispose()
    {
        Host.Dispose();
        Registrar.Dispose();
        Pki.Dispose();
    }
}
