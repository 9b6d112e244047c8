using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>
/// A PKI created by <c>mtls-pki init</c> in a temporary folder, whose certificates name the management listener
/// of the token server the test will start as their CRL distribution point, and that server configured to
/// publish the folder's CRLs there (CrlPublication:Folder) and check them online every second.
/// </summary>
public sealed class ToolPki : IDisposable
{
    private ToolPki(string folder, Uri managementUri)
    {
        Folder = folder;
        Layout = new DevelopmentPkiLayout(folder);
        ManagementUri = managementUri;
        Pki = TestPki.Load(folder);
    }

    /// <summary>The tool's CAs opened with the same library, to mint the certificates the tool refuses to make (expired, CA flag).</summary>
    public TestPki Pki { get; }

    public string Folder { get; }

    public DevelopmentPkiLayout Layout { get; }

    public Uri ManagementUri { get; }

    /// <summary>How often the test server re-fetches a CRL (Revocation:RefreshInterval).</summary>
    public static TimeSpan RefreshInterval { get; } = TimeSpan.FromSeconds(1);

    public static async Task<ToolPki> InitAsync()
    {
        var folder = Directory.CreateTempSubdirectory("mtls-pki-tool-").FullName;
        var management = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        await PkiToolRun.SucceedAsync("init", "--out", folder, "--dns", "localhost", "--ip", "127.0.0.1", "--ip", "::1",
            "--crl-base-url", new Uri(management, "crl/").AbsoluteUri, "--organization", "Lifecycle Test");
        return new ToolPki(folder, management);
    }

    /// <summary>Runs the tool against this PKI folder (<c>--pki</c> added).</summary>
    public Task<PkiToolRun> RunAsync(params string[] args) => PkiToolRun.SucceedAsync([.. args, "--pki", Folder]);

    /// <summary>The token server over this PKI; <paramref name="configure"/> adds clients.</summary>
    public TokenServerHost StartServer(Action<TokenServerSettings> configure)
    {
        return TokenServerHost.Start(Pki, settings =>
        {
            settings["Listeners:Management"] = ManagementUri.AbsoluteUri;
            settings["CrlPublication:Folder"] = Layout.CrlFolder;
            settings["Revocation:Mode"] = "Online";
            settings["Revocation:RefreshInterval"] = RefreshInterval.ToString();
            settings["Revocation:FailureCacheDuration"] = "00:00:00";
            settings["Revocation:FetchTimeout"] = "00:00:05";
            configure(settings);
        });
    }

    /// <summary>A client certificate file written by the tool: the leaf with its key (the chain in the file is not needed).</summary>
    public X509Certificate2 LoadClient(string name) =>
        X509Certificate2.CreateFromPemFile(Layout.ClientCertificate(name), Layout.ClientKey(name));

    /// <summary>Disposes the CAs and deletes the folder.</summary>
    public void Dispose() => Pki.Dispose();
}
