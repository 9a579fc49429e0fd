import { expect } from "chai";
import { CLOUD_FUNCTIONS_REGIONS } from "../../src/config/cloudFunctionsRegions";
import { functionsRegion } from "../../src/config/functionsRegion";

describe("FUNCTIONS_REGION: one setting for every function's region", () => {
  it("declares no region by default (auto: Firebase's placement), and the region named otherwise", () => {
    expect(functionsRegion({})).to.equal(undefined);
    expect(functionsRegion({ FUNCTIONS_REGION: "auto" })).to.equal(undefined);
    expect(functionsRegion({ FUNCTIONS_REGION: "southamerica-east1" })).to.equal(
      "southamerica-east1",
    );
    expect(functionsRegion({ FUNCTIONS_REGION: " Europe-West1 " })).to.equal("europe-west1");
  });

  it("under the Functions emulator is us-central1 whatever it says: the Hosting emulator sends rewrites there", () => {
    const env = { FUNCTIONS_REGION: "europe-west3", FUNCTIONS_EMULATOR: "true" };
    expect(functionsRegion(env)).to.equal("us-central1");
  });

  it("a region Cloud Functions does not have fails naming the variable and every allowed region, emulated or not", () => {
    for (const env of [{}, { FUNCTIONS_EMULATOR: "true" }]) {
      expect(() => functionsRegion({ ...env, FUNCTIONS_REGION: "nam5" }))
        .to.throw(
          `FUNCTIONS_REGION must be one of auto, ${CLOUD_FUNCTIONS_REGIONS.join(", ")}; got "nam5".`,
        )
        .with.property("code", "invalid_config");
    }
  });
});
