using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Tuning.Tests.Storage;

public sealed class StorageUrlTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("postgresql://ann:s3cret@db.example:5433/studies", "postgresql://ann:***@db.example:5433/studies")]
    [InlineData("postgresql+psycopg2://ann:p%40ss@db/studies", "postgresql+psycopg2://ann:***@db/studies")]
    [InlineData("postgresql://ann@db/studies", "postgresql://ann@db/studies")]
    [InlineData("sqlite:////tmp/study.db", "sqlite:////tmp/study.db")]
    public void Passwords_are_masked(string url, string masked) => Assert.Equal(masked, StorageUrl.Mask(url));

    [Fact]
    public void Memory_opens_an_in_memory_storage() => Assert.IsType<InMemoryStorage>(StorageUrl.Open("memory"));

    [Fact]
    public void A_relative_sqlite_path_is_relative_to_the_working_directory()
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, _directory.File("relative.db"));
        using (var storage = StorageUrl.Open("sqlite:///" + relative)) storage.CreateStudy("s", new[] { StudyDirection.Minimize });
        Assert.True(File.Exists(_directory.File("relative.db")));
    }

    [Theory]
    [InlineData("mysql://root@localhost/db")]
    [InlineData("study.db")]
    [InlineData("sqlite://study.db")]
    [InlineData("sqlite:///")]
    [InlineData("postgresql://ann:s3cret@db")]
    public void An_unknown_or_incomplete_url_is_refused_in_one_line_naming_it(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => StorageUrl.Open(url));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(StorageUrl.Mask(url), error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public void An_unreachable_postgres_server_is_one_line_naming_the_url_without_its_password()
    {
        // Port 1 on the loopback interface: nothing listens there, the connection is refused at once.
        const string url = "postgresql://ann:s3cret@127.0.0.1:1/studies";
        var error = Assert.Throws<StorageException>(() => StorageUrl.Open(url));
        Assert.StartsWith("storage postgresql://ann:***@127.0.0.1:1/studies: cannot connect", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_sqlite_file_in_a_missing_directory_is_one_line_naming_the_url()
    {
        string url = "sqlite:///" + _directory.File("missing/dir/study.db");
        var error = Assert.Throws<StorageException>(() => StorageUrl.Open(url));
        Assert.StartsWith($"storage {url}: cannot open", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
