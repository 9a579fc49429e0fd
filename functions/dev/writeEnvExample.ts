import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { FUNCTIONS_DIR } from "../src/config/devStackState";
import { envExampleText } from "../src/config/envExample";

// `npm run env:example`: writes functions/.env.example from src/config/envSpec.ts.
const file = resolve(FUNCTIONS_DIR, ".env.example");
writeFileSync(file, envExampleText());
console.log(`Wrote ${file}`);
