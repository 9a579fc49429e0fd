import type { SupportedRegion } from "firebase-functions/v2";

/**
 * The regions firebase-functions names for Cloud Functions (2nd gen), its `SupportedRegion`
 * type, as a list FUNCTIONS_REGION can be validated against. The build fails when the SDK's type
 * gains or loses a region this list does not: update both together.
 */
export const CLOUD_FUNCTIONS_REGIONS = [
  "asia-east1",
  "asia-east2",
  "asia-northeast1",
  "asia-northeast2",
  "asia-northeast3",
  "asia-south1",
  "asia-southeast1",
  "asia-southeast2",
  "australia-southeast1",
  "europe-central2",
  "europe-north1",
  "europe-west1",
  "europe-west2",
  "europe-west3",
  "europe-west4",
  "europe-west6",
  "northamerica-northeast1",
  "southamerica-east1",
  "us-central1",
  "us-east1",
  "us-east4",
  "us-west1",
  "us-west2",
  "us-west3",
  "us-west4",
] as const satisfies readonly SupportedRegion[];

export type CloudFunctionsRegion = (typeof CLOUD_FUNCTIONS_REGIONS)[number];

// Compiles only while every SupportedRegion is in the list (`satisfies` above checks the converse).
const everySupportedRegionListed: Exclude<SupportedRegion, CloudFunctionsRegion> extends never
  ? true
  : false = true;
void everySupportedRegionListed;
