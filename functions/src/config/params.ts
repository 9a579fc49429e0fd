import { defineBoolean, defineInt, defineSecret, defineString } from "firebase-functions/params";
import { ENV_SPEC, EnvVarSpec } from "./envSpec";

/*
 * Declared so `firebase deploy` asks for (or takes the defaults of) every variable and the
 * secrets get bound to the functions, all from ENV_SPEC. The code reads the resulting environment
 * through parseRuntimeConfig, which validates each value and names the field when one is wrong.
 */
type Secret = ReturnType<typeof defineSecret>;

function declare(name: string, spec: EnvVarSpec): Secret | undefined {
  const { description } = spec;
  switch (spec.kind) {
    case "secret":
      return defineSecret(name);
    case "boolean":
      defineBoolean(name, { default: spec.default, description });
      return undefined;
    case "int":
      defineInt(name, { default: spec.default, description });
      return undefined;
    case "number":
      // firebase-functions types declare no float param; the parser validates the number.
      defineString(name, { default: String(spec.default), description });
      return undefined;
    default:
      defineString(name, { default: spec.default, description });
      return undefined;
  }
}

/** The secrets every function that calls a provider binds. */
export const functionSecrets: Secret[] = Object.entries(ENV_SPEC)
  .filter(([, spec]) => !("localOnly" in spec && spec.localOnly))
  .map(([name, spec]) => declare(name, spec))
  .filter((secret): secret is Secret => secret !== undefined);
