using System.Text.Json;
using System.Text.Json.Serialization;

namespace MtlsAuthServer.Pki;

/// <summary>Reads, writes (atomically) and locks a CA's <c>.state.json</c>.</summary>
public static class CaStateFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// The CA's state. A folder created before state files existed has none: its entries and CRL number are
    /// then taken from the CA's published CRL, so no revocation is ever dropped and numbers keep increasing.
    /// </summary>
    public static CaState Load(CaFiles files)
    {
        if (File.Exists(files.State))
        {
            try
            {
                return JsonSerializer.Deserialize<CaState>(File.ReadAllText(files.State), Json)
                    ?? throw new InvalidDataException($"'{files.State}' is empty.");
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"'{files.State}' is not a valid CA state file: {exception.Message}", exception);
            }
        }

        return File.Exists(files.Crl) ? CrlContents.Read(File.ReadAllBytes(files.Crl)) : CaState.Empty;
    }

    /// <summary>Writes the state through a temporary file and a rename: a crash never leaves half a file.</summary>
    public static void Save(CaFiles files, CaState state) =>
        PemFiles.WritePublic(files.State, JsonSerializer.Serialize(state, Json) + "\n");

    /// <summary>
    /// Takes the CA's exclusive lock for a read-modify-write of its state, so two revocations running at
    /// once can't lose one another's entry. Fails at once (never waits) when another process holds it.
    /// </summary>
    public static IDisposable Lock(CaFiles files)
    {
        var path = files.State + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException exception)
        {
            throw new InvalidOperationException($"Another process is updating {files.Name} ('{path}' is locked); try again.", exception);
        }
    }
}
