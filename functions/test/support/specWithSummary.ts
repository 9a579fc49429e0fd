import { writeFileSync } from "node:fs";
import Mocha from "mocha";

/**
 * Mocha's spec reporter plus one plain closing line, `tests: N passed, N failed, N skipped`,
 * the form CI reads in any language (pending tests, such as the rules tests without the
 * official emulator, count as skipped, never as passed).
 */
class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      if (!s) return;
      const line = `tests: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`;
      process.stdout.write(`\n${line}`);
      // Printed again by test/runTests.mjs after the emulator's shutdown lines.
      if (process.env.TEST_SUMMARY_FILE) writeFileSync(process.env.TEST_SUMMARY_FILE, line);
    });
  }
}

export = SpecWithSummary;
