using System.Security.Cryptography;
using System.Text;

namespace MtlsAuthServer.HotReload;

/// <summary>
/// A SHA-256 over file contents (and any other text): equal fingerprints mean nothing to reload. Contents, not
/// timestamps: a rename-into-place, a symlink swap or two writes within one timestamp tick all change it.
/// </summary>
public sealed class ContentFingerprint : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public ContentFingerprint AddText(string text)
    {
        Append(Encoding.UTF8.GetBytes(text));
        return this;
    }

    /// <summary>Adds the path and its content; a missing or unreadable file is a state of its own (so its return is noticed).</summary>
    public ContentFingerprint AddFile(string? path)
    {
        AddText(path ?? string.Empty);
        if (string.IsNullOrWhiteSpace(path))
        {
            return this;
        }

        try
        {
            Append(File.ReadAllBytes(path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            AddText("unreadable:" + exception.GetType().Name);
        }

        return this;
    }

    public string Complete() => Convert.ToHexString(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();

    private void Append(byte[] data)
    {
        // Length-prefixed so that ("ab","c") and ("a","bc") differ.
        _hash.AppendData(BitConverter.GetBytes(data.Length));
        _hash.AppendData(data);
    }
}
