// Every Admin GraphQL document the app sends, each tagged #graphql. test/graphql-documents.test.ts
// validates all of them against ../shared/shopify/admin-2026-01.graphql.

export const SHOP_CURRENCY_QUERY = `#graphql
  query ShopCurrency {
    shop {
      currencyCode
    }
  }
`;

export interface ShopCurrencyResult {
  shop: { currencyCode: string };
}

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

export interface CollectionProductsResult {
  collection: {
    id: string;
    products: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
}
