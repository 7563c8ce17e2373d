using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Tuning.Tests.Storage;

public sealed class SqliteStorageContractTests : StorageContractTests, IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private int _files;

    protected override IStudyStorage CreateStorage() => StorageUrl.Open(_directory.SqliteUrl($"study{_files++}.db"));

    // Listing IDisposable again makes this the Dispose the test runner calls.
    public new void Dispose()
    {
        base.Dispose();
        _directory.Dispose();
    }
}

public sealed class PostgresStorageContractTests : StorageContractTests, IClassFixture<PostgresTestServer>
{
    private readonly PostgresTestServer _server;

    public PostgresStorageContractTests(PostgresTestServer server) => _server = server;

    protected override IStudyStorage CreateStorage() => StorageUrl.Open(_server.CreateDatabase());
}
