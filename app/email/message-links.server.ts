import { readConfig } from "../config.server";
import { unsubscribeUrl } from "./unsubscribe-link.server";

// What a queued message's links are built from: the app's URL and its API secret (the
// unsubscribe token's key). The runtime sets them from its configuration when it starts; a
// process without a runtime (a script) reads them from the environment.

export interface MessageLinks {
  appUrl: string;
  secret: string;
}

let links: MessageLinks | null = null;

export function setMessageLinks(value: MessageLinks): void {
  links = value;
}

export function messageLinks(): MessageLinks {
  if (!links) {
    const config = readConfig();
    links = { appUrl: config.appUrl, secret: config.apiSecrets[0] };
  }
  return links;
}

export function memberUnsubscribeUrl(shop: string, memberId: number): string {
  const { appUrl, secret } = messageLinks();
  return unsubscribeUrl(shop, memberId, { appUrl, apiSecrets: [secret] });
}
