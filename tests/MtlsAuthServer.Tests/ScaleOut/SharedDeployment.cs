using System.Security.Cryptography;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ScaleOut;

/// <summary>
/// What every instance behind one load balancer shares: the PostgreSQL database, the token signing and encryption
/// keys and the issuer (the load balancer's public URL). Each <see cref="TokenServerHost"/> still has its own
/// listeners, process state and logs.
/// </summary>
public sealed class SharedDeployment : IDisposable
{
    public const string Issuer = "https://auth.scale-out.test/";

    private readonly string _folder = Directory.CreateTempSubdirectory("mtls-shared-").FullName;

    public SharedDeployment(string connectionString)
    {
        ConnectionString = connectionString;
        SigningKeyPath = Path.Combine(_folder, "signing.key");
        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            PemFiles.WriteSecret(SigningKeyPath, ecdsa.ExportPkcs8PrivateKeyPem());
        }

        EncryptionKeyPath = Path.Combine(_folder, "encryption.key");
        PemFiles.WriteSecret(EncryptionKeyPath, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    }

    public string ConnectionString { get; }

    public string SigningKeyPath { get; }

    public string EncryptionKeyPath { get; }

    /// <summary>Points <paramref name="settings"/> at the shared database, keys and issuer.</summary>
    public TokenServerSettings Apply(TokenServerSettings settings)
    {
        // The store and registry events asserted on are at Information level.
        settings["Serilog:MinimumLevel:Override:MtlsAuthServer"] = "Information";
        settings["Database:Provider"] = "PostgreSql";
        settings["Database:ConnectionString"] = ConnectionString;
        settings["Database:ConnectTimeout"] = "00:00:02";
        settings["Database:CommandTimeout"] = "00:00:02";
        settings["Database:StartupRetryInterval"] = "00:00:00.200";
        settings["Tokens:SigningKey:Path"] = SigningKeyPath;
        settings["Tokens:EncryptionKeyPath"] = EncryptionKeyPath;
        settings["Tokens:Issuer"] = Issuer;
        return settings;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
