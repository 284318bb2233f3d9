/**
 * Application packages (REST `ApplicationPackageReference`, `ApplicationSummary`): versioned zip
 * files an account holds, installed on nodes for pools and tasks that reference them.
 */

/** A package to install: `version` omitted means the application's default version. */
export interface ApplicationPackageReference {
  applicationId: string;
  version?: string;
}

/** An application as `GET /applications` reports it. */
export interface ApplicationSummary {
  id: string;
  displayName: string;
  versions: string[];
}
