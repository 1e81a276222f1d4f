/**
 * Entra ID credentials for the Azure services the canary talks to: Blob Storage (the store), Application
 * Insights (telemetry) and Entra-authenticated targets (the round). Depends on nothing of ours, so every layer may
 * import it. Nothing is created at import time: callers build a credential once and pass it on.
 */
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

/**
 * The credential for Blob Storage in Azure: `DefaultAzureCredential`, pinned to the user-assigned managed
 * identity `clientId` when given (the `AZURE_CLIENT_ID` app setting). Locally it falls through to the Azure
 * CLI / developer sign-in.
 */
export function azureCredential(clientId: string | undefined): TokenCredential {
  return clientId ? new DefaultAzureCredential({ managedIdentityClientId: clientId }) : new DefaultAzureCredential();
}

/**
 * The credential an `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` asks for: `Authorization=AAD` gives a
 * managed identity (user-assigned with `ClientId=<id>`, system-assigned otherwise); anything else (absent,
 * malformed, or not AAD) gives `undefined`, i.e. instrumentation-key ingestion.
 */
export function credentialFromAuthenticationString(value: string | undefined): TokenCredential | undefined {
  if (!value) return undefined;
  const fields = new Map<string, string>();
  for (const pair of value.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) fields.set(pair.slice(0, eq).trim().toLowerCase(), pair.slice(eq + 1).trim());
  }
  if (fields.get('authorization')?.toUpperCase() !== 'AAD') return undefined;
  const clientId = fields.get('clientid');
  return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
}
