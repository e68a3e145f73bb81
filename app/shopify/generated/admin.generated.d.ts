/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type ShopCurrencyQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopCurrencyQuery = { shop: Pick<AdminTypes.Shop, 'currencyCode' | 'ianaTimezone'> };

export type CollectionProductsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type CollectionProductsQuery = { collection?: AdminTypes.Maybe<(
    Pick<AdminTypes.Collection, 'id'>
    & { products: { nodes: Array<Pick<AdminTypes.Product, 'id'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
  )> };

export type RewardDiscountCreateMutationVariables = AdminTypes.Exact<{
  basicCodeDiscount: AdminTypes.DiscountCodeBasicInput;
}>;


export type RewardDiscountCreateMutation = { discountCodeBasicCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type RewardFreeShippingCreateMutationVariables = AdminTypes.Exact<{
  freeShippingCodeDiscount: AdminTypes.DiscountCodeFreeShippingInput;
}>;


export type RewardFreeShippingCreateMutation = { discountCodeFreeShippingCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type RewardAppDiscountCreateMutationVariables = AdminTypes.Exact<{
  codeAppDiscount: AdminTypes.DiscountCodeAppInput;
}>;


export type RewardAppDiscountCreateMutation = { discountCodeAppCreate?: AdminTypes.Maybe<{ codeAppDiscount?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeApp, 'discountId'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type TierPerksDiscountCreateMutationVariables = AdminTypes.Exact<{
  automaticAppDiscount: AdminTypes.DiscountAutomaticAppInput;
}>;


export type TierPerksDiscountCreateMutation = { discountAutomaticAppCreate?: AdminTypes.Maybe<{ automaticAppDiscount?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticApp, 'discountId'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type TierPerksDiscountUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  automaticAppDiscount: AdminTypes.DiscountAutomaticAppInput;
}>;


export type TierPerksDiscountUpdateMutation = { discountAutomaticAppUpdate?: AdminTypes.Maybe<{ automaticAppDiscount?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticApp, 'discountId'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type RewardVariantPriceQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type RewardVariantPriceQuery = { productVariant?: AdminTypes.Maybe<Pick<AdminTypes.ProductVariant, 'id' | 'price'>> };

export type RewardStoreCreditMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  creditInput: AdminTypes.StoreCreditAccountCreditInput;
}>;


export type RewardStoreCreditMutation = { storeCreditAccountCredit?: AdminTypes.Maybe<{ storeCreditAccountTransaction?: AdminTypes.Maybe<Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id'>>, userErrors: Array<Pick<AdminTypes.StoreCreditAccountCreditUserError, 'field' | 'message' | 'code'>> }> };

export type RewardDiscountDeleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type RewardDiscountDeleteMutation = { discountCodeDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.DiscountCodeDeletePayload, 'deletedCodeDiscountId'>
    & { userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }
  )> };

export type RewardDiscountByCodeQueryVariables = AdminTypes.Exact<{
  code: AdminTypes.Scalars['String']['input'];
}>;


export type RewardDiscountByCodeQuery = { codeDiscountNodeByCode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>> };

export type RewardStoreCreditCreditsQueryVariables = AdminTypes.Exact<{
  customerId: AdminTypes.Scalars['ID']['input'];
}>;


export type RewardStoreCreditCreditsQuery = { customer?: AdminTypes.Maybe<{ storeCreditAccounts: { nodes: Array<{ transactions: { nodes: Array<(
            Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id' | 'createdAt'>
            & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, origin?: AdminTypes.Maybe<{ __typename: 'OrderTransaction' }> }
          )> } }> } }> };

export type MemberMetafieldsSetMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type MemberMetafieldsSetMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'key' | 'namespace'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code'>> }> };

export type LoyaltyMetafieldDefinitionCreateMutationVariables = AdminTypes.Exact<{
  definition: AdminTypes.MetafieldDefinitionInput;
}>;


export type LoyaltyMetafieldDefinitionCreateMutation = { metafieldDefinitionCreate?: AdminTypes.Maybe<{ createdDefinition?: AdminTypes.Maybe<Pick<AdminTypes.MetafieldDefinition, 'id'>>, userErrors: Array<Pick<AdminTypes.MetafieldDefinitionCreateUserError, 'field' | 'message' | 'code'>> }> };

export type CurrentAppInstallationQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type CurrentAppInstallationQuery = { currentAppInstallation: Pick<AdminTypes.AppInstallation, 'id'> };

export type WaysToEarnMetafieldSetMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type WaysToEarnMetafieldSetMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'key' | 'namespace'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code'>> }> };

interface GeneratedQueryTypes {
  "#graphql\n  query ShopCurrency {\n    shop {\n      currencyCode\n      ianaTimezone\n    }\n  }\n": {return: ShopCurrencyQuery, variables: ShopCurrencyQueryVariables},
  "#graphql\n  query CollectionProducts($id: ID!, $after: String) {\n    collection(id: $id) {\n      id\n      products(first: 250, after: $after) {\n        nodes {\n          id\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": {return: CollectionProductsQuery, variables: CollectionProductsQueryVariables},
  "#graphql\n  query RewardVariantPrice($id: ID!) {\n    productVariant(id: $id) {\n      id\n      price\n    }\n  }\n": {return: RewardVariantPriceQuery, variables: RewardVariantPriceQueryVariables},
  "#graphql\n  query RewardDiscountByCode($code: String!) {\n    codeDiscountNodeByCode(code: $code) {\n      id\n    }\n  }\n": {return: RewardDiscountByCodeQuery, variables: RewardDiscountByCodeQueryVariables},
  "#graphql\n  query RewardStoreCreditCredits($customerId: ID!) {\n    customer(id: $customerId) {\n      storeCreditAccounts(first: 5) {\n        nodes {\n          transactions(first: 20, reverse: true, query: \"type:credit\") {\n            nodes {\n              ... on StoreCreditAccountCreditTransaction {\n                id\n                createdAt\n                amount { amount currencyCode }\n                origin { __typename }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: RewardStoreCreditCreditsQuery, variables: RewardStoreCreditCreditsQueryVariables},
  "#graphql\n  query CurrentAppInstallation {\n    currentAppInstallation { id }\n  }\n": {return: CurrentAppInstallationQuery, variables: CurrentAppInstallationQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation RewardDiscountCreate($basicCodeDiscount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: RewardDiscountCreateMutation, variables: RewardDiscountCreateMutationVariables},
  "#graphql\n  mutation RewardFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {\n    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: RewardFreeShippingCreateMutation, variables: RewardFreeShippingCreateMutationVariables},
  "#graphql\n  mutation RewardAppDiscountCreate($codeAppDiscount: DiscountCodeAppInput!) {\n    discountCodeAppCreate(codeAppDiscount: $codeAppDiscount) {\n      codeAppDiscount { discountId }\n      userErrors { field message code }\n    }\n  }\n": {return: RewardAppDiscountCreateMutation, variables: RewardAppDiscountCreateMutationVariables},
  "#graphql\n  mutation TierPerksDiscountCreate($automaticAppDiscount: DiscountAutomaticAppInput!) {\n    discountAutomaticAppCreate(automaticAppDiscount: $automaticAppDiscount) {\n      automaticAppDiscount { discountId }\n      userErrors { field message code }\n    }\n  }\n": {return: TierPerksDiscountCreateMutation, variables: TierPerksDiscountCreateMutationVariables},
  "#graphql\n  mutation TierPerksDiscountUpdate($id: ID!, $automaticAppDiscount: DiscountAutomaticAppInput!) {\n    discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $automaticAppDiscount) {\n      automaticAppDiscount { discountId }\n      userErrors { field message code }\n    }\n  }\n": {return: TierPerksDiscountUpdateMutation, variables: TierPerksDiscountUpdateMutationVariables},
  "#graphql\n  mutation RewardStoreCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {\n    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {\n      storeCreditAccountTransaction { id }\n      userErrors { field message code }\n    }\n  }\n": {return: RewardStoreCreditMutation, variables: RewardStoreCreditMutationVariables},
  "#graphql\n  mutation RewardDiscountDelete($id: ID!) {\n    discountCodeDelete(id: $id) {\n      deletedCodeDiscountId\n      userErrors { field message code }\n    }\n  }\n": {return: RewardDiscountDeleteMutation, variables: RewardDiscountDeleteMutationVariables},
  "#graphql\n  mutation MemberMetafieldsSet($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      metafields { key namespace }\n      userErrors { field message code }\n    }\n  }\n": {return: MemberMetafieldsSetMutation, variables: MemberMetafieldsSetMutationVariables},
  "#graphql\n  mutation LoyaltyMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {\n    metafieldDefinitionCreate(definition: $definition) {\n      createdDefinition { id }\n      userErrors { field message code }\n    }\n  }\n": {return: LoyaltyMetafieldDefinitionCreateMutation, variables: LoyaltyMetafieldDefinitionCreateMutationVariables},
  "#graphql\n  mutation WaysToEarnMetafieldSet($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      metafields { key namespace }\n      userErrors { field message code }\n    }\n  }\n": {return: WaysToEarnMetafieldSetMutation, variables: WaysToEarnMetafieldSetMutationVariables},
}
declare module '../admin-api.server' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
