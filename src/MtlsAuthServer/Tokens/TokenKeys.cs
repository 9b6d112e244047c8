using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace MtlsAuthServer.Tokens;

/// <summary>Loads the signing and encryption keys named by <see cref="TokenOptions"/>.</summary>
public static class TokenKeys
{
    /// <param name="options">The key file and its password.</param>
    /// <param name="section">The configuration section the key came from, for error messages (e.g. <c>Tokens:SigningKey:Next</c>).</param>
    public static SecurityKey LoadSigningKey(KeyFileOptions options, string section = $"{TokenOptions.Section}:SigningKey")
    {
        var key = $"{section}:Path";
        if (!File.Exists(options.Path))
        {
            throw new InvalidDataException($"{key}: file '{options.Path}' does not exist.");
        }

        try
        {
            var extension = Path.GetExtension(options.Path);
            if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
            {
                return new X509SecurityKey(X509CertificateLoader.LoadPkcs12FromFile(options.Path, options.Password));
            }

            var pem = File.ReadAllText(options.Path);
            SecurityKey securityKey;
            if (TryImportEcdsa(pem, options.Password) is { } ecdsa)
            {
                securityKey = new ECDsaSecurityKey(ecdsa);
            }
            else
            {
                var rsa = RSA.Create();
                if (string.IsNullOrEmpty(options.Password))
                {
                    rsa.ImportFromPem(pem);
                }
                else
                {
                    rsa.ImportFromEncryptedPem(pem, options.Password);
                }

                securityKey = new RsaSecurityKey(rsa);
            }

            // RFC 7638 thumbprint as kid: stable across restarts and instances sharing the key.
            securityKey.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(securityKey).ComputeJwkThumbprint());
            return securityKey;
        }
        catch (CryptographicException exception)
        {
            throw new InvalidDataException($"{key}: '{options.Path}' is not a usable private key: {exception.Message}", exception);
        }
    }

    public static SymmetricSecurityKey LoadEncryptionKey(string path)
    {
        const string key = $"{TokenOptions.Section}:EncryptionKeyPath";
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{key}: file '{path}' does not exist.");
        }

        try
        {
            var bytes = Convert.FromBase64String(File.ReadAllText(path).Trim());
            return bytes.Length == 32
                ? new SymmetricSecurityKey(bytes)
                : throw new InvalidDataException($"{key}: '{path}' must hold a base64 256-bit key.");
        }
        catch (FormatException exception)
        {
            throw new InvalidDataException($"{key}: '{path}' is not base64.", exception);
        }
    }

    private static ECDsa? TryImportEcdsa(string pem, string? password)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            if (string.IsNullOrEmpty(password))
            {
                ecdsa.ImportFromPem(pem);
            }
            else
            {
                ecdsa.ImportFromEncryptedPem(pem, password);
            }

            return ecdsa;
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            ecdsa.Dispose();
            return null;
        }
    }
}
