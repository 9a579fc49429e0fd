import { FUNCTIONS_DIR } from "../config/devStackState";
import { deployEnvProblem, fileSetting, readDeployEnv } from "../config/deployEnv";

/*
 * `npm run deploy:check-env [functionsDir]`: firebase.json's functions predeploy, after the build.
 * Reads functions/.env and .env.$GCLOUD_PROJECT (firebase-tools sets GCLOUD_PROJECT for predeploy
 * hooks) as `firebase deploy` will upload them, and exits 1 naming the file, the variable and
 * its allowed values when one is wrong; 0 when every value is valid.
 */
function main(): number {
  const dir = process.argv[2] ?? FUNCTIONS_DIR;
  const projectId = process.env.GCLOUD_PROJECT?.trim() || undefined;
  const deployed = readDeployEnv(dir, projectId);
  const problem = deployEnvProblem(deployed.env);
  const read = deployed.files.length > 0 ? deployed.files.join(", ") : "no .env file";
  if (problem) {
    const file = problem.variable ? fileSetting(deployed, problem.variable) : undefined;
    console.error(`✗ functions/${file ?? read}: ${problem.message}`);
    return 1;
  }
  const project = projectId ? `project ${projectId}` : "GCLOUD_PROJECT unset, so .env only";
  console.log(`✓ The functions' environment is valid (${read}; ${project}).`);
  return 0;
}

process.exitCode = main();
