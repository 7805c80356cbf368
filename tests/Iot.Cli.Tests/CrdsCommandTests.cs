namespace Iot.Cli.Tests;

public sealed class CrdsCommandTests
{
    [Fact]
    public async Task Crds_command_reproduces_the_committed_crds_byte_for_byte()
    {
        using var dir = new TempDirectory();
        var run = await CliRun.RunAsync("crds", "--output", dir.Path);
        Assert.Equal(0, run.ExitCode);
        var committed = Directory.GetFiles(RepositoryRoot.Combine("crds")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(committed, Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
        Assert.All(committed, f => Assert.Equal(File.ReadAllBytes(RepositoryRoot.Combine("crds", f!)), File.ReadAllBytes(Path.Combine(dir.Path, f!))));
    }
}
