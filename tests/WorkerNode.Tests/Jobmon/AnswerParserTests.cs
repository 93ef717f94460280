using System.Text;
using WorkerNode.Jobmon;
using WorkerNode.Jobmon.Wire;

namespace WorkerNode.Tests.Jobmon;

/// <summary>The server's answers, as they really come, and the shapes that are refused.</summary>
public sealed class AnswerParserTests
{
    [Fact]
    public void AGoodTaskInstanceRow() =>
        Assert.Equal(
            new TaskInstanceAssignment(12, TaskInstanceStatus.Running, 7, 8, "my_task", "python run.py --x 1", 9, "/out", "/err"),
            Assignment("""{"task_instance": [12, "R", 7, 8, "my_task", "python run.py --x 1", 9, "/out", "/err"]}"""));

    [Fact]
    public void IdsAsNumericStringsAndMissingDirectories() =>
        Assert.Equal(
            new TaskInstanceAssignment(12, TaskInstanceStatus.KillSelf, 7, 8, "t", "true", 9, string.Empty, string.Empty),
            Assignment("""{"task_instance": ["12", "K", "7", "8", "t", "true", "9", null, ""], "extra": 1}"""));

    [Theory]
    [InlineData("", "the body is empty")]
    [InlineData("<html><body>502 Bad Gateway</body></html>", "the body is not JSON: <html><body>502 Bad Gateway</body></html>")]
    [InlineData("[1, 2]", "the body is an array, not an object")]
    [InlineData("""{"status": "R"}""", "the body has no \"task_instance\"")]
    [InlineData("""{"task_instance": null}""", "task_instance is null, not an array")]
    [InlineData("""{"task_instance": [12, "R", 7]}""", "task_instance has 3 elements, not 9")]
    [InlineData("""{"task_instance": ["12a", "R", 7, 8, "t", "c", 9, null, null]}""", "task_instance[0] (id) is \"12a\", not an integer")]
    [InlineData("""{"task_instance": [12, "running", 7, 8, "t", "c", 9, null, null]}""", "task_instance[1] (status) is \"running\", not a task instance status letter")]
    [InlineData("""{"task_instance": [12, "R", 7.5, 8, "t", "c", 9, null, null]}""", "task_instance[2] (workflow_run_id) is 7.5, not an integer")]
    [InlineData("""{"task_instance": [12, "R", 7, 8, "t", null, 9, null, null]}""", "task_instance[5] (command) is null, not a string")]
    [InlineData("""{"task_instance": [12, "R", 7, 8, "t", "c", 9, 5, null]}""", "task_instance[7] (stdout_dir) is 5, not a string")]
    public void WrongShapesSayWhatIsWrong(string body, string problem) =>
        Assert.StartsWith(problem, Assert.Throws<FormatException>(() => Assignment(body)).Message);

    [Theory]
    [InlineData("""{"status": "D"}""", 'D')]
    [InlineData("""{"status": "R", "other": [1]}""", 'R')]
    public void Status(string body, char letter) =>
        Assert.Equal(new TaskInstanceStatus(letter), AnswerParser.Status(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("""{"status": "Q1"}""")]
    [InlineData("""{"status": null}""")]
    [InlineData("""{"state": "R"}""")]
    public void AStatusThatIsNotALetterIsRefused(string body) =>
        Assert.Throws<FormatException>(() => AnswerParser.Status(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("""{"task_instance_id": 123}""", 123)]
    [InlineData("""{"task_instance_id": "123"}""", 123)]
    public void ArrayTaskInstanceId(string body, long id) =>
        Assert.Equal(id, AnswerParser.ArrayTaskInstanceId(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("""{"task_instance_id": null}""")]
    [InlineData("""{"task_instance_id": "-"}""")]
    public void AnArrayTaskInstanceIdThatIsNotAnIntegerIsRefused(string body) =>
        Assert.Throws<FormatException>(() => AnswerParser.ArrayTaskInstanceId(Encoding.UTF8.GetBytes(body)));

    private static TaskInstanceAssignment Assignment(string body) => AnswerParser.Assignment(Encoding.UTF8.GetBytes(body));
}
