import { writeFileSync } from "node:fs";
import Mocha from "mocha";

/**
 * Mocha's spec reporter plus the counts, as `tests: N passed, N failed, N skipped`, the form CI
 * reads in any language (pending tests, such as the rules tests on the embedded emulator, count as
 * skipped, never as passed). Under `npm test` the counts go to TEST_SUMMARY_FILE instead, and
 * test/runTests.mjs prints one line per emulator and the total, last.
 */
class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const started = Date.now();
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      if (!s) return;
      const counts = { passes: s.passes, failures: s.failures, pending: s.pending };
      if (process.env.TEST_SUMMARY_FILE) {
        writeFileSync(
          process.env.TEST_SUMMARY_FILE,
          JSON.stringify({ ...counts, ms: Date.now() - started }),
        );
      } else {
        process.stdout.write(
          `\ntests: ${counts.passes} passed, ${counts.failures} failed, ${counts.pending} skipped\n`,
        );
      }
    });
  }
}

export = SpecWithSummary;
