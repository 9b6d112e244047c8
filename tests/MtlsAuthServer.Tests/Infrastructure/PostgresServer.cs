using System.Diagnostics;
using Npgsql;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster from the OS packages (<c>/usr/lib/postgresql/*/bin</c>, or the folder in
/// <c>POSTGRES_BIN</c>): initdb into a temp folder, one server on a free loopback port with its Unix socket in
/// that folder, deleted on dispose. PostgreSQL refuses to run as root, so when the tests run as root (CI) the
/// folder is given to the <c>postgres</c> OS user and every PostgreSQL program runs through
/// <c>runuser -u postgres --</c>. Every step is bounded in time.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly bool IsRoot = GetUid() == 0;

    private readonly string _bin;
    private readonly string _folder;
    private readonly string _data;
    private readonly string _socketFolder;
    private readonly string _logFile;

    /// <summary>Creates the cluster and starts the server.</summary>
    public PostgresServer()
    {
        _bin = FindBinaries();
        _folder = Directory.CreateTempSubdirectory("mtls-pg-").FullName;
        _data = Path.Combine(_folder, "data");
        _socketFolder = Path.Combine(_folder, "socket");
        _logFile = Path.Combine(_folder, "postgres.log");
        Directory.CreateDirectory(_socketFolder);
        Port = FreePort.Next();
        try
        {
            if (IsRoot)
            {
                Run("/usr/bin/chown", ["-R", "postgres:postgres", _folder], asPostgres: false);
            }

            Run(Path.Combine(_bin, "initdb"), ["-D", _data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }

    public bool IsRunning { get; private set; }

    /// <summary>A connection string for the app and tests, over TCP on loopback, as superuser (trust auth).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Database = database,
            Username = "postgres",
            Timeout = 5,
        }.ConnectionString;

    /// <summary>A new empty database with a unique name; returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = "mtls_" + Guid.NewGuid().ToString("N")[..12];
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false }.ConnectionString;
        using var connection = new NpgsqlConnection(admin);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>Starts (or restarts) the server on the same port and data; returns when it accepts connections.</summary>
    public void Start()
    {
        var options = $"-p {Port} -k {_socketFolder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        Run(Path.Combine(_bin, "pg_ctl"), ["start", "-D", _data, "-l", _logFile, "-w", "-t", "30", "-o", options]);
        IsRunning = true;
    }

    /// <summary>Fast shutdown: open connections are terminated, as in a database outage or failover.</summary>
    public void Stop()
    {
        Run(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", _data, "-m", "fast", "-w", "-t", "30"]);
        IsRunning = false;
    }

    /// <summary>
    /// Freezes every process of the server (SIGSTOP): connections stay open but nothing answers, as with a hung
    /// database or a network black hole. <see cref="Thaw"/> resumes them.
    /// </summary>
    public void Freeze() => Signal("-STOP", postmasterFirst: true);

    public void Thaw() => Signal("-CONT", postmasterFirst: false);

    public string Log() => File.Exists(_logFile) ? File.ReadAllText(_logFile) : string.Empty;

    public void Dispose()
    {
        if (IsRunning)
        {
            try
            {
                Run(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", _data, "-m", "immediate", "-w", "-t", "30"]);
                IsRunning = false;
            }
            catch (InvalidOperationException)
            {
            }
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Freezing stops the postmaster first, then its children as they are now: a stopped postmaster forks no backend
    /// that the list would miss (a connection opened at that moment would stay answering). Thawing resumes the children
    /// first, while the postmaster is still stopped: a child that exited during the freeze is then a zombie that only
    /// the postmaster reaps, so every listed process still exists when it is signalled.
    /// </summary>
    private void Signal(string signal, bool postmasterFirst)
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(_data, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        var postmasterId = postmaster.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (postmasterFirst)
        {
            Run("/bin/kill", [signal, postmasterId], asPostgres: false);
        }

        if (ChildrenOf(postmaster).ToList() is { Count: > 0 } children)
        {
            Run("/bin/kill", [signal, .. children], asPostgres: false);
        }

        if (!postmasterFirst)
        {
            Run("/bin/kill", [signal, postmasterId], asPostgres: false);
        }
    }

    /// <summary>The server's backends and helpers: the processes whose parent is the postmaster (from /proc).</summary>
    private static IEnumerable<string> ChildrenOf(int parent)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid ...": the command name may hold spaces, so read after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && fields[1] == parent.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                yield return Path.GetFileName(folder);
            }
        }
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("POSTGRES_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(folder => Path.Combine(folder, "bin"))
                .Where(folder => File.Exists(Path.Combine(folder, "initdb")))
                .OrderByDescending(folder => int.TryParse(Path.GetFileName(Path.GetDirectoryName(folder)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"PostgreSQL server binaries not found under {root}/*/bin (install the 'postgresql' package, as .ci/run does, or set POSTGRES_BIN).");
    }

    private static int GetUid()
    {
        try
        {
            var status = File.ReadAllLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("Uid:", StringComparison.Ordinal));
            return status is null ? -1 : int.Parse(status.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private void Run(string program, string[] arguments, bool asPostgres = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && IsRoot)
        {
            start.FileName = "/usr/sbin/runuser";
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} did not finish within {CommandTimeout}.\n{Log()}");
        }

        // Bounded: the process has exited; its output pipes close unless a daemon child kept them (pg_ctl start
        // redirects the server's output to the log file, so none does).
        Task.WaitAll([output, error], CommandTimeout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output.Result}\n{error.Result}\n{Log()}");
        }
    }
}
