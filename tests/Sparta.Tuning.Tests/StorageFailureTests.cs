using System.Reflection;
using Sparta.Tuning.Storage;

namespace Sparta.Tuning.Tests;

/// <summary>A storage that fails under a running trial leaves it FAIL, not RUNNING, when it still answers.</summary>
public sealed class StorageFailureTests
{
    [Fact]
    public void A_trial_whose_result_cannot_be_stored_is_marked_failed_and_the_failure_is_raised()
    {
        var storage = FailingStorage.Wrap(new InMemoryStorage(), failFirst: nameof(IStudyStorage.SetTrialStateValues));
        var study = Study.Create("s", StudyDirection.Minimize, storage);
        var error = Assert.Throws<StorageException>(() => study.Optimize(t => t.SuggestFloat("x", -1, 1), 3));
        Assert.Contains("disk is full", error.Message);

        var trial = Assert.Single(storage.GetAllTrials(study.StudyId));
        Assert.Equal(TrialState.Fail, trial.State);
        Assert.Contains("the storage failed", trial.SystemAttrs[TrialSystemAttrs.FailReason]);
    }

    /// <summary>The real storage behind a proxy whose first call of one method fails as a full disk would.</summary>
    public class FailingStorage : DispatchProxy
    {
        private IStudyStorage _inner = null!;
        private string _method = "";
        private bool _failed;

        public static IStudyStorage Wrap(IStudyStorage inner, string failFirst)
        {
            var proxy = Create<IStudyStorage, FailingStorage>();
            var failing = (FailingStorage)(object)proxy;
            (failing._inner, failing._method) = (inner, failFirst);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == _method && !_failed)
            {
                _failed = true;
                throw new StorageException("storage sqlite:///study.db: database or disk is full");
            }
            try { return method.Invoke(_inner, args); }
            catch (TargetInvocationException e) { throw e.InnerException!; }
        }
    }
}
