// Every Admin GraphQL document the app sends, each tagged #graphql. Their result and variable
// types are generated from ../shared/shopify/admin-2026-01.graphql into generated/ (`npm run codegen`),
// and test/graphql-documents-validate-against-the-admin-schema.test.ts validates every document.

export const SHOP_CURRENCY_QUERY = `#graphql
  query ShopCurrency {
    shop {
      currencyCode
      ianaTimezone
    }
  }
`;

export const COLLECTION_PRODUCTS_QUERY = `#graphql
  query CollectionProducts($id: ID!, $after: String) {
    collection(id: $id) {
      id
      products(first: 250, after: $after) {
        nodes {
          id
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/** The products, variants and collections a tier program names (paid memberships, member prices), to check they exist. */
export const TIER_REFERENCES_QUERY = `#graphql
  query TierReferences($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      id
    }
  }
`;

/** The member's tier tag ("VIP: Gold") on the Shopify customer, for segments and email tools. */
export const CUSTOMER_TAGS_ADD = `#graphql
  mutation CustomerTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;

/** The tier tag the member no longer holds. */
export const CUSTOMER_TAGS_REMOVE = `#graphql
  mutation CustomerTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;

export const REWARD_DISCOUNT_CREATE = `#graphql
  mutation RewardDiscountCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export const REWARD_FREE_SHIPPING_CREATE = `#graphql
  mutation RewardFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

/** A capped percentage: an app discount code served by extensions/capped-percentage-discount. */
export const REWARD_APP_DISCOUNT_CREATE = `#graphql
  mutation RewardAppDiscountCreate($codeAppDiscount: DiscountCodeAppInput!) {
    discountCodeAppCreate(codeAppDiscount: $codeAppDiscount) {
      codeAppDiscount { discountId }
      userErrors { field message code }
    }
  }
`;

/**
 * The VIP tiers' perks (free shipping, member prices): one automatic app discount per shop served by
 * extensions/tier-perks-discount, its settings in the $app:loyalty.tier-perks metafield.
 */
export const TIER_PERKS_DISCOUNT_CREATE = `#graphql
  mutation TierPerksDiscountCreate($automaticAppDiscount: DiscountAutomaticAppInput!) {
    discountAutomaticAppCreate(automaticAppDiscount: $automaticAppDiscount) {
      automaticAppDiscount { discountId }
      userErrors { field message code }
    }
  }
`;

export const TIER_PERKS_DISCOUNT_UPDATE = `#graphql
  mutation TierPerksDiscountUpdate($id: ID!, $automaticAppDiscount: DiscountAutomaticAppInput!) {
    discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $automaticAppDiscount) {
      automaticAppDiscount { discountId }
      userErrors { field message code }
    }
  }
`;

/** A free product reward takes one unit's current price off. */
export const REWARD_VARIANT_PRICE_QUERY = `#graphql
  query RewardVariantPrice($id: ID!) {
    productVariant(id: $id) {
      id
      price
    }
  }
`;

export const REWARD_STORE_CREDIT = `#graphql
  mutation RewardStoreCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
      storeCreditAccountTransaction { id }
      userErrors { field message code }
    }
  }
`;

export const REWARD_DISCOUNT_DELETE = `#graphql
  mutation RewardDiscountDelete($id: ID!) {
    discountCodeDelete(id: $id) {
      deletedCodeDiscountId
      userErrors { field message code }
    }
  }
`;

export const DISCOUNT_BY_CODE_QUERY = `#graphql
  query RewardDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
    }
  }
`;

/** The customer's latest store credit credits: did a credit land before the app stopped? */
export const STORE_CREDIT_CREDITS_QUERY = `#graphql
  query RewardStoreCreditCredits($customerId: ID!) {
    customer(id: $customerId) {
      storeCreditAccounts(first: 5) {
        nodes {
          transactions(first: 20, reverse: true, query: "type:credit") {
            nodes {
              ... on StoreCreditAccountCreditTransaction {
                id
                createdAt
                amount { amount currencyCode }
                origin { __typename }
              }
            }
          }
        }
      }
    }
  }
`;

export const MEMBER_METAFIELDS_SET = `#graphql
  mutation MemberMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { key namespace }
      userErrors { field message code }
    }
  }
`;

export const LOYALTY_METAFIELD_DEFINITION_CREATE = `#graphql
  mutation LoyaltyMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition { id }
      userErrors { field message code }
    }
  }
`;

export const CURRENT_APP_INSTALLATION = `#graphql
  query CurrentAppInstallation {
    currentAppInstallation { id }
  }
`;

export const WAYS_TO_EARN_METAFIELD_SET = `#graphql
  mutation WaysToEarnMetafieldSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { key namespace }
      userErrors { field message code }
    }
  }
`;

/** Starts the shop's workflows that begin with one of the app's Flow triggers (extensions/flow-*). */
export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors { field message }
    }
  }
`;
