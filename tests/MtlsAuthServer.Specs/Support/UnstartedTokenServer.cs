using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Specs.Support;

/// <summary>
/// The token server's own Program, built but never started (in-memory, no listener, no socket, no database access):
/// what its configuration check decides. A valid configuration as TokenServerHost gives one, plus the values of a spec.
/// </summary>
public sealed class UnstartedTokenServer(ConfigurationMaterial material, IReadOnlyDictionary<string, string?> overrides) : WebApplicationFactory<Program>
{
    /// <summary>Builds the host (Program runs up to <c>builder.Build()</c>); throws what the build throws.</summary>
    public void Build() => _ = Services;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Serilog:MinimumLevel:Default"] = "Fatal",
            ["Listeners:Mtls"] = "https://127.0.0.1:8443/",
            ["Listeners:Public"] = "https://127.0.0.1:8444/",
            ["ServerCertificate:Path"] = material.Pki.ServerCertificatePath,
            ["ServerCertificate:KeyPath"] = material.Pki.ServerKeyPath,
            ["TrustAnchors:Path"] = material.Pki.TrustAnchorsPath,
            ["TrustAnchors:IntermediatesPath"] = material.Pki.IntermediatesPath,
            ["Revocation:Mode"] = "NoCheck",
            ["Tokens:SigningKey:Path"] = material.SigningKeyPath,
            ["Tokens:EncryptionKeyPath"] = material.EncryptionKeyPath,
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(material.Folder, "auth.db")};Pooling=False",
            ["HotReload:Enabled"] = "false",
        };
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        builder.UseEnvironment("Testing");
        foreach (var (key, value) in values)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>A test PKI and token keys on disk, shared by the specs of one class.</summary>
public sealed class ConfigurationMaterial : IDisposable
{
    public ConfigurationMaterial()
    {
        Folder = Directory.CreateTempSubdirectory("mtls-config-").FullName;
        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            PemFiles.WriteSecret(SigningKeyPath, ecdsa.ExportPkcs8PrivateKeyPem());
        }

        PemFiles.WriteSecret(EncryptionKeyPath, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    }

    public TestPki Pki { get; } = TestPki.Create();

    public string Folder { get; }

    public string SigningKeyPath => Path.Combine(Folder, "signing.key");

    public string EncryptionKeyPath => Path.Combine(Folder, "encryption.key");

    /// <summary>A file in the folder holding <paramref name="content"/>, e.g. a bundle that is not PEM.</summary>
    public string File(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        Pki.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
