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

export type TierReferencesQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type TierReferencesQuery = { nodes: Array<AdminTypes.Maybe<(
    { __typename: 'AbandonedCheckout' }
    & Pick<AdminTypes.AbandonedCheckout, 'id'>
  ) | (
    { __typename: 'AbandonedCheckoutLineItem' }
    & Pick<AdminTypes.AbandonedCheckoutLineItem, 'id'>
  ) | (
    { __typename: 'Abandonment' }
    & Pick<AdminTypes.Abandonment, 'id'>
  ) | (
    { __typename: 'AddAllProductsOperation' }
    & Pick<AdminTypes.AddAllProductsOperation, 'id'>
  ) | (
    { __typename: 'AdditionalFee' }
    & Pick<AdminTypes.AdditionalFee, 'id'>
  ) | (
    { __typename: 'App' }
    & Pick<AdminTypes.App, 'id'>
  ) | (
    { __typename: 'AppCatalog' }
    & Pick<AdminTypes.AppCatalog, 'id'>
  ) | (
    { __typename: 'AppCredit' }
    & Pick<AdminTypes.AppCredit, 'id'>
  ) | (
    { __typename: 'AppInstallation' }
    & Pick<AdminTypes.AppInstallation, 'id'>
  ) | (
    { __typename: 'AppPurchaseOneTime' }
    & Pick<AdminTypes.AppPurchaseOneTime, 'id'>
  ) | (
    { __typename: 'AppRevenueAttributionRecord' }
    & Pick<AdminTypes.AppRevenueAttributionRecord, 'id'>
  ) | (
    { __typename: 'AppSubscription' }
    & Pick<AdminTypes.AppSubscription, 'id'>
  ) | (
    { __typename: 'AppUsageRecord' }
    & Pick<AdminTypes.AppUsageRecord, 'id'>
  ) | (
    { __typename: 'Article' }
    & Pick<AdminTypes.Article, 'id'>
  ) | (
    { __typename: 'BasicEvent' }
    & Pick<AdminTypes.BasicEvent, 'id'>
  ) | (
    { __typename: 'Blog' }
    & Pick<AdminTypes.Blog, 'id'>
  ) | (
    { __typename: 'BulkOperation' }
    & Pick<AdminTypes.BulkOperation, 'id'>
  ) | (
    { __typename: 'BusinessEntity' }
    & Pick<AdminTypes.BusinessEntity, 'id'>
  ) | (
    { __typename: 'CalculatedOrder' }
    & Pick<AdminTypes.CalculatedOrder, 'id'>
  ) | (
    { __typename: 'CartTransform' }
    & Pick<AdminTypes.CartTransform, 'id'>
  ) | (
    { __typename: 'CashTrackingAdjustment' }
    & Pick<AdminTypes.CashTrackingAdjustment, 'id'>
  ) | (
    { __typename: 'CashTrackingSession' }
    & Pick<AdminTypes.CashTrackingSession, 'id'>
  ) | (
    { __typename: 'CatalogCsvOperation' }
    & Pick<AdminTypes.CatalogCsvOperation, 'id'>
  ) | (
    { __typename: 'Channel' }
    & Pick<AdminTypes.Channel, 'id'>
  ) | (
    { __typename: 'ChannelDefinition' }
    & Pick<AdminTypes.ChannelDefinition, 'id'>
  ) | (
    { __typename: 'ChannelInformation' }
    & Pick<AdminTypes.ChannelInformation, 'id'>
  ) | (
    { __typename: 'CheckoutProfile' }
    & Pick<AdminTypes.CheckoutProfile, 'id'>
  ) | (
    { __typename: 'Collection' }
    & Pick<AdminTypes.Collection, 'id'>
  ) | (
    { __typename: 'Comment' }
    & Pick<AdminTypes.Comment, 'id'>
  ) | (
    { __typename: 'CommentEvent' }
    & Pick<AdminTypes.CommentEvent, 'id'>
  ) | (
    { __typename: 'Company' }
    & Pick<AdminTypes.Company, 'id'>
  ) | (
    { __typename: 'CompanyAddress' }
    & Pick<AdminTypes.CompanyAddress, 'id'>
  ) | (
    { __typename: 'CompanyContact' }
    & Pick<AdminTypes.CompanyContact, 'id'>
  ) | (
    { __typename: 'CompanyContactRole' }
    & Pick<AdminTypes.CompanyContactRole, 'id'>
  ) | (
    { __typename: 'CompanyContactRoleAssignment' }
    & Pick<AdminTypes.CompanyContactRoleAssignment, 'id'>
  ) | (
    { __typename: 'CompanyLocation' }
    & Pick<AdminTypes.CompanyLocation, 'id'>
  ) | (
    { __typename: 'CompanyLocationCatalog' }
    & Pick<AdminTypes.CompanyLocationCatalog, 'id'>
  ) | (
    { __typename: 'CompanyLocationStaffMemberAssignment' }
    & Pick<AdminTypes.CompanyLocationStaffMemberAssignment, 'id'>
  ) | (
    { __typename: 'ConsentPolicy' }
    & Pick<AdminTypes.ConsentPolicy, 'id'>
  ) | (
    { __typename: 'CurrencyExchangeAdjustment' }
    & Pick<AdminTypes.CurrencyExchangeAdjustment, 'id'>
  ) | (
    { __typename: 'Customer' }
    & Pick<AdminTypes.Customer, 'id'>
  ) | (
    { __typename: 'CustomerAccountAppExtensionPage' }
    & Pick<AdminTypes.CustomerAccountAppExtensionPage, 'id'>
  ) | (
    { __typename: 'CustomerAccountNativePage' }
    & Pick<AdminTypes.CustomerAccountNativePage, 'id'>
  ) | (
    { __typename: 'CustomerPaymentMethod' }
    & Pick<AdminTypes.CustomerPaymentMethod, 'id'>
  ) | (
    { __typename: 'CustomerSegmentMembersQuery' }
    & Pick<AdminTypes.CustomerSegmentMembersQuery, 'id'>
  ) | (
    { __typename: 'CustomerVisit' }
    & Pick<AdminTypes.CustomerVisit, 'id'>
  ) | (
    { __typename: 'DeliveryCarrierService' }
    & Pick<AdminTypes.DeliveryCarrierService, 'id'>
  ) | (
    { __typename: 'DeliveryCondition' }
    & Pick<AdminTypes.DeliveryCondition, 'id'>
  ) | (
    { __typename: 'DeliveryCountry' }
    & Pick<AdminTypes.DeliveryCountry, 'id'>
  ) | (
    { __typename: 'DeliveryCustomization' }
    & Pick<AdminTypes.DeliveryCustomization, 'id'>
  ) | (
    { __typename: 'DeliveryLocationGroup' }
    & Pick<AdminTypes.DeliveryLocationGroup, 'id'>
  ) | (
    { __typename: 'DeliveryMethod' }
    & Pick<AdminTypes.DeliveryMethod, 'id'>
  ) | (
    { __typename: 'DeliveryMethodDefinition' }
    & Pick<AdminTypes.DeliveryMethodDefinition, 'id'>
  ) | (
    { __typename: 'DeliveryParticipant' }
    & Pick<AdminTypes.DeliveryParticipant, 'id'>
  ) | (
    { __typename: 'DeliveryProfile' }
    & Pick<AdminTypes.DeliveryProfile, 'id'>
  ) | (
    { __typename: 'DeliveryProfileItem' }
    & Pick<AdminTypes.DeliveryProfileItem, 'id'>
  ) | (
    { __typename: 'DeliveryPromiseParticipant' }
    & Pick<AdminTypes.DeliveryPromiseParticipant, 'id'>
  ) | (
    { __typename: 'DeliveryPromiseProvider' }
    & Pick<AdminTypes.DeliveryPromiseProvider, 'id'>
  ) | (
    { __typename: 'DeliveryProvince' }
    & Pick<AdminTypes.DeliveryProvince, 'id'>
  ) | (
    { __typename: 'DeliveryRateDefinition' }
    & Pick<AdminTypes.DeliveryRateDefinition, 'id'>
  ) | (
    { __typename: 'DeliveryZone' }
    & Pick<AdminTypes.DeliveryZone, 'id'>
  ) | (
    { __typename: 'DiscountAutomaticBxgy' }
    & Pick<AdminTypes.DiscountAutomaticBxgy, 'id'>
  ) | (
    { __typename: 'DiscountAutomaticNode' }
    & Pick<AdminTypes.DiscountAutomaticNode, 'id'>
  ) | (
    { __typename: 'DiscountCodeNode' }
    & Pick<AdminTypes.DiscountCodeNode, 'id'>
  ) | (
    { __typename: 'DiscountNode' }
    & Pick<AdminTypes.DiscountNode, 'id'>
  ) | (
    { __typename: 'DiscountRedeemCodeBulkCreation' }
    & Pick<AdminTypes.DiscountRedeemCodeBulkCreation, 'id'>
  ) | (
    { __typename: 'Domain' }
    & Pick<AdminTypes.Domain, 'id'>
  ) | (
    { __typename: 'DraftOrder' }
    & Pick<AdminTypes.DraftOrder, 'id'>
  ) | (
    { __typename: 'DraftOrderLineItem' }
    & Pick<AdminTypes.DraftOrderLineItem, 'id'>
  ) | (
    { __typename: 'DraftOrderTag' }
    & Pick<AdminTypes.DraftOrderTag, 'id'>
  ) | (
    { __typename: 'Duty' }
    & Pick<AdminTypes.Duty, 'id'>
  ) | (
    { __typename: 'ExchangeLineItem' }
    & Pick<AdminTypes.ExchangeLineItem, 'id'>
  ) | (
    { __typename: 'ExchangeV2' }
    & Pick<AdminTypes.ExchangeV2, 'id'>
  ) | (
    { __typename: 'ExternalVideo' }
    & Pick<AdminTypes.ExternalVideo, 'id'>
  ) | (
    { __typename: 'Fulfillment' }
    & Pick<AdminTypes.Fulfillment, 'id'>
  ) | (
    { __typename: 'FulfillmentConstraintRule' }
    & Pick<AdminTypes.FulfillmentConstraintRule, 'id'>
  ) | (
    { __typename: 'FulfillmentEvent' }
    & Pick<AdminTypes.FulfillmentEvent, 'id'>
  ) | (
    { __typename: 'FulfillmentHold' }
    & Pick<AdminTypes.FulfillmentHold, 'id'>
  ) | (
    { __typename: 'FulfillmentLineItem' }
    & Pick<AdminTypes.FulfillmentLineItem, 'id'>
  ) | (
    { __typename: 'FulfillmentOrder' }
    & Pick<AdminTypes.FulfillmentOrder, 'id'>
  ) | (
    { __typename: 'FulfillmentOrderDestination' }
    & Pick<AdminTypes.FulfillmentOrderDestination, 'id'>
  ) | (
    { __typename: 'FulfillmentOrderLineItem' }
    & Pick<AdminTypes.FulfillmentOrderLineItem, 'id'>
  ) | (
    { __typename: 'FulfillmentOrderMerchantRequest' }
    & Pick<AdminTypes.FulfillmentOrderMerchantRequest, 'id'>
  ) | (
    { __typename: 'GenericFile' }
    & Pick<AdminTypes.GenericFile, 'id'>
  ) | (
    { __typename: 'GiftCard' }
    & Pick<AdminTypes.GiftCard, 'id'>
  ) | (
    { __typename: 'GiftCardCreditTransaction' }
    & Pick<AdminTypes.GiftCardCreditTransaction, 'id'>
  ) | (
    { __typename: 'GiftCardDebitTransaction' }
    & Pick<AdminTypes.GiftCardDebitTransaction, 'id'>
  ) | (
    { __typename: 'InventoryAdjustmentGroup' }
    & Pick<AdminTypes.InventoryAdjustmentGroup, 'id'>
  ) | (
    { __typename: 'InventoryItem' }
    & Pick<AdminTypes.InventoryItem, 'id'>
  ) | (
    { __typename: 'InventoryItemMeasurement' }
    & Pick<AdminTypes.InventoryItemMeasurement, 'id'>
  ) | (
    { __typename: 'InventoryLevel' }
    & Pick<AdminTypes.InventoryLevel, 'id'>
  ) | (
    { __typename: 'InventoryQuantity' }
    & Pick<AdminTypes.InventoryQuantity, 'id'>
  ) | (
    { __typename: 'InventoryShipment' }
    & Pick<AdminTypes.InventoryShipment, 'id'>
  ) | (
    { __typename: 'InventoryShipmentLineItem' }
    & Pick<AdminTypes.InventoryShipmentLineItem, 'id'>
  ) | (
    { __typename: 'InventoryTransfer' }
    & Pick<AdminTypes.InventoryTransfer, 'id'>
  ) | (
    { __typename: 'InventoryTransferLineItem' }
    & Pick<AdminTypes.InventoryTransferLineItem, 'id'>
  ) | (
    { __typename: 'LineItem' }
    & Pick<AdminTypes.LineItem, 'id'>
  ) | (
    { __typename: 'LineItemGroup' }
    & Pick<AdminTypes.LineItemGroup, 'id'>
  ) | (
    { __typename: 'Location' }
    & Pick<AdminTypes.Location, 'id'>
  ) | (
    { __typename: 'MailingAddress' }
    & Pick<AdminTypes.MailingAddress, 'id'>
  ) | (
    { __typename: 'Market' }
    & Pick<AdminTypes.Market, 'id'>
  ) | (
    { __typename: 'MarketCatalog' }
    & Pick<AdminTypes.MarketCatalog, 'id'>
  ) | (
    { __typename: 'MarketRegionCountry' }
    & Pick<AdminTypes.MarketRegionCountry, 'id'>
  ) | (
    { __typename: 'MarketWebPresence' }
    & Pick<AdminTypes.MarketWebPresence, 'id'>
  ) | (
    { __typename: 'MarketingActivity' }
    & Pick<AdminTypes.MarketingActivity, 'id'>
  ) | (
    { __typename: 'MarketingEvent' }
    & Pick<AdminTypes.MarketingEvent, 'id'>
  ) | (
    { __typename: 'MediaImage' }
    & Pick<AdminTypes.MediaImage, 'id'>
  ) | (
    { __typename: 'Menu' }
    & Pick<AdminTypes.Menu, 'id'>
  ) | (
    { __typename: 'Metafield' }
    & Pick<AdminTypes.Metafield, 'id'>
  ) | (
    { __typename: 'MetafieldDefinition' }
    & Pick<AdminTypes.MetafieldDefinition, 'id'>
  ) | (
    { __typename: 'Metaobject' }
    & Pick<AdminTypes.Metaobject, 'id'>
  ) | (
    { __typename: 'MetaobjectDefinition' }
    & Pick<AdminTypes.MetaobjectDefinition, 'id'>
  ) | (
    { __typename: 'Model3d' }
    & Pick<AdminTypes.Model3d, 'id'>
  ) | (
    { __typename: 'OnlineStoreTheme' }
    & Pick<AdminTypes.OnlineStoreTheme, 'id'>
  ) | (
    { __typename: 'Order' }
    & Pick<AdminTypes.Order, 'id'>
  ) | (
    { __typename: 'OrderAdjustment' }
    & Pick<AdminTypes.OrderAdjustment, 'id'>
  ) | (
    { __typename: 'OrderDisputeSummary' }
    & Pick<AdminTypes.OrderDisputeSummary, 'id'>
  ) | (
    { __typename: 'OrderEditSession' }
    & Pick<AdminTypes.OrderEditSession, 'id'>
  ) | (
    { __typename: 'OrderTransaction' }
    & Pick<AdminTypes.OrderTransaction, 'id'>
  ) | (
    { __typename: 'Page' }
    & Pick<AdminTypes.Page, 'id'>
  ) | (
    { __typename: 'PaymentCustomization' }
    & Pick<AdminTypes.PaymentCustomization, 'id'>
  ) | (
    { __typename: 'PaymentMandate' }
    & Pick<AdminTypes.PaymentMandate, 'id'>
  ) | (
    { __typename: 'PaymentSchedule' }
    & Pick<AdminTypes.PaymentSchedule, 'id'>
  ) | (
    { __typename: 'PaymentTerms' }
    & Pick<AdminTypes.PaymentTerms, 'id'>
  ) | (
    { __typename: 'PaymentTermsTemplate' }
    & Pick<AdminTypes.PaymentTermsTemplate, 'id'>
  ) | (
    { __typename: 'PointOfSaleDevice' }
    & Pick<AdminTypes.PointOfSaleDevice, 'id'>
  ) | (
    { __typename: 'PriceList' }
    & Pick<AdminTypes.PriceList, 'id'>
  ) | (
    { __typename: 'PriceRule' }
    & Pick<AdminTypes.PriceRule, 'id'>
  ) | (
    { __typename: 'PriceRuleDiscountCode' }
    & Pick<AdminTypes.PriceRuleDiscountCode, 'id'>
  ) | (
    { __typename: 'Product' }
    & Pick<AdminTypes.Product, 'id'>
  ) | (
    { __typename: 'ProductBundleOperation' }
    & Pick<AdminTypes.ProductBundleOperation, 'id'>
  ) | (
    { __typename: 'ProductDeleteOperation' }
    & Pick<AdminTypes.ProductDeleteOperation, 'id'>
  ) | (
    { __typename: 'ProductDuplicateOperation' }
    & Pick<AdminTypes.ProductDuplicateOperation, 'id'>
  ) | (
    { __typename: 'ProductFeed' }
    & Pick<AdminTypes.ProductFeed, 'id'>
  ) | (
    { __typename: 'ProductOption' }
    & Pick<AdminTypes.ProductOption, 'id'>
  ) | (
    { __typename: 'ProductOptionValue' }
    & Pick<AdminTypes.ProductOptionValue, 'id'>
  ) | (
    { __typename: 'ProductSetOperation' }
    & Pick<AdminTypes.ProductSetOperation, 'id'>
  ) | (
    { __typename: 'ProductTaxonomyNode' }
    & Pick<AdminTypes.ProductTaxonomyNode, 'id'>
  ) | (
    { __typename: 'ProductVariant' }
    & Pick<AdminTypes.ProductVariant, 'id'>
  ) | (
    { __typename: 'ProductVariantComponent' }
    & Pick<AdminTypes.ProductVariantComponent, 'id'>
  ) | (
    { __typename: 'Publication' }
    & Pick<AdminTypes.Publication, 'id'>
  ) | (
    { __typename: 'PublicationResourceOperation' }
    & Pick<AdminTypes.PublicationResourceOperation, 'id'>
  ) | (
    { __typename: 'QuantityPriceBreak' }
    & Pick<AdminTypes.QuantityPriceBreak, 'id'>
  ) | (
    { __typename: 'Refund' }
    & Pick<AdminTypes.Refund, 'id'>
  ) | (
    { __typename: 'RefundShippingLine' }
    & Pick<AdminTypes.RefundShippingLine, 'id'>
  ) | (
    { __typename: 'Return' }
    & Pick<AdminTypes.Return, 'id'>
  ) | (
    { __typename: 'ReturnLineItem' }
    & Pick<AdminTypes.ReturnLineItem, 'id'>
  ) | (
    { __typename: 'ReturnReasonDefinition' }
    & Pick<AdminTypes.ReturnReasonDefinition, 'id'>
  ) | (
    { __typename: 'ReturnableFulfillment' }
    & Pick<AdminTypes.ReturnableFulfillment, 'id'>
  ) | (
    { __typename: 'ReverseDelivery' }
    & Pick<AdminTypes.ReverseDelivery, 'id'>
  ) | (
    { __typename: 'ReverseDeliveryLineItem' }
    & Pick<AdminTypes.ReverseDeliveryLineItem, 'id'>
  ) | (
    { __typename: 'ReverseFulfillmentOrder' }
    & Pick<AdminTypes.ReverseFulfillmentOrder, 'id'>
  ) | (
    { __typename: 'ReverseFulfillmentOrderDisposition' }
    & Pick<AdminTypes.ReverseFulfillmentOrderDisposition, 'id'>
  ) | (
    { __typename: 'ReverseFulfillmentOrderLineItem' }
    & Pick<AdminTypes.ReverseFulfillmentOrderLineItem, 'id'>
  ) | (
    { __typename: 'SaleAdditionalFee' }
    & Pick<AdminTypes.SaleAdditionalFee, 'id'>
  ) | (
    { __typename: 'SavedSearch' }
    & Pick<AdminTypes.SavedSearch, 'id'>
  ) | (
    { __typename: 'ScriptTag' }
    & Pick<AdminTypes.ScriptTag, 'id'>
  ) | (
    { __typename: 'Segment' }
    & Pick<AdminTypes.Segment, 'id'>
  ) | (
    { __typename: 'SellingPlan' }
    & Pick<AdminTypes.SellingPlan, 'id'>
  ) | (
    { __typename: 'SellingPlanGroup' }
    & Pick<AdminTypes.SellingPlanGroup, 'id'>
  ) | (
    { __typename: 'ServerPixel' }
    & Pick<AdminTypes.ServerPixel, 'id'>
  ) | (
    { __typename: 'Shop' }
    & Pick<AdminTypes.Shop, 'id'>
  ) | (
    { __typename: 'ShopAddress' }
    & Pick<AdminTypes.ShopAddress, 'id'>
  ) | (
    { __typename: 'ShopPolicy' }
    & Pick<AdminTypes.ShopPolicy, 'id'>
  ) | (
    { __typename: 'ShopifyPaymentsAccount' }
    & Pick<AdminTypes.ShopifyPaymentsAccount, 'id'>
  ) | (
    { __typename: 'ShopifyPaymentsBalanceTransaction' }
    & Pick<AdminTypes.ShopifyPaymentsBalanceTransaction, 'id'>
  ) | (
    { __typename: 'ShopifyPaymentsBankAccount' }
    & Pick<AdminTypes.ShopifyPaymentsBankAccount, 'id'>
  ) | (
    { __typename: 'ShopifyPaymentsDispute' }
    & Pick<AdminTypes.ShopifyPaymentsDispute, 'id'>
  ) | (
    { __typename: 'ShopifyPaymentsDisputeEvidence' }
    & Pick<AdminTypes.ShopifyPaymentsDisputeEvidence, 'id'>
  ) | (
    { __typename: 'ShopifyPaymentsDisputeFileUpload' }
    & Pick<AdminTypes.ShopifyPaymentsDisputeFileUpload, 'id'>
  ) | (
    { __typename: 'ShopifyPaymentsDisputeFulfillment' }
    & Pick<AdminTypes.ShopifyPaymentsDisputeFulfillment, 'id'>
  ) | (
    { __typename: 'ShopifyPaymentsPayout' }
    & Pick<AdminTypes.ShopifyPaymentsPayout, 'id'>
  ) | (
    { __typename: 'StaffMember' }
    & Pick<AdminTypes.StaffMember, 'id'>
  ) | (
    { __typename: 'StandardMetafieldDefinitionTemplate' }
    & Pick<AdminTypes.StandardMetafieldDefinitionTemplate, 'id'>
  ) | (
    { __typename: 'StoreCreditAccount' }
    & Pick<AdminTypes.StoreCreditAccount, 'id'>
  ) | (
    { __typename: 'StoreCreditAccountCreditTransaction' }
    & Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id'>
  ) | (
    { __typename: 'StoreCreditAccountDebitRevertTransaction' }
    & Pick<AdminTypes.StoreCreditAccountDebitRevertTransaction, 'id'>
  ) | (
    { __typename: 'StoreCreditAccountDebitTransaction' }
    & Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'id'>
  ) | (
    { __typename: 'StorefrontAccessToken' }
    & Pick<AdminTypes.StorefrontAccessToken, 'id'>
  ) | (
    { __typename: 'SubscriptionBillingAttempt' }
    & Pick<AdminTypes.SubscriptionBillingAttempt, 'id'>
  ) | (
    { __typename: 'SubscriptionContract' }
    & Pick<AdminTypes.SubscriptionContract, 'id'>
  ) | (
    { __typename: 'SubscriptionDraft' }
    & Pick<AdminTypes.SubscriptionDraft, 'id'>
  ) | (
    { __typename: 'TaxonomyAttribute' }
    & Pick<AdminTypes.TaxonomyAttribute, 'id'>
  ) | (
    { __typename: 'TaxonomyCategory' }
    & Pick<AdminTypes.TaxonomyCategory, 'id'>
  ) | (
    { __typename: 'TaxonomyChoiceListAttribute' }
    & Pick<AdminTypes.TaxonomyChoiceListAttribute, 'id'>
  ) | (
    { __typename: 'TaxonomyMeasurementAttribute' }
    & Pick<AdminTypes.TaxonomyMeasurementAttribute, 'id'>
  ) | (
    { __typename: 'TaxonomyValue' }
    & Pick<AdminTypes.TaxonomyValue, 'id'>
  ) | (
    { __typename: 'TenderTransaction' }
    & Pick<AdminTypes.TenderTransaction, 'id'>
  ) | (
    { __typename: 'TransactionFee' }
    & Pick<AdminTypes.TransactionFee, 'id'>
  ) | (
    { __typename: 'UnverifiedReturnLineItem' }
    & Pick<AdminTypes.UnverifiedReturnLineItem, 'id'>
  ) | (
    { __typename: 'UrlRedirect' }
    & Pick<AdminTypes.UrlRedirect, 'id'>
  ) | (
    { __typename: 'UrlRedirectImport' }
    & Pick<AdminTypes.UrlRedirectImport, 'id'>
  ) | (
    { __typename: 'Validation' }
    & Pick<AdminTypes.Validation, 'id'>
  ) | (
    { __typename: 'Video' }
    & Pick<AdminTypes.Video, 'id'>
  ) | (
    { __typename: 'WebPixel' }
    & Pick<AdminTypes.WebPixel, 'id'>
  ) | (
    { __typename: 'WebhookSubscription' }
    & Pick<AdminTypes.WebhookSubscription, 'id'>
  )>> };

export type CustomerTagsAddMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type CustomerTagsAddMutation = { tagsAdd?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type CustomerTagsRemoveMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type CustomerTagsRemoveMutation = { tagsRemove?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

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

export type FlowTriggerReceiveMutationVariables = AdminTypes.Exact<{
  handle: AdminTypes.Scalars['String']['input'];
  payload: AdminTypes.Scalars['JSON']['input'];
}>;


export type FlowTriggerReceiveMutation = { flowTriggerReceive?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

interface GeneratedQueryTypes {
  "#graphql\n  query ShopCurrency {\n    shop {\n      currencyCode\n      ianaTimezone\n    }\n  }\n": {return: ShopCurrencyQuery, variables: ShopCurrencyQueryVariables},
  "#graphql\n  query CollectionProducts($id: ID!, $after: String) {\n    collection(id: $id) {\n      id\n      products(first: 250, after: $after) {\n        nodes {\n          id\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": {return: CollectionProductsQuery, variables: CollectionProductsQueryVariables},
  "#graphql\n  query TierReferences($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      __typename\n      id\n    }\n  }\n": {return: TierReferencesQuery, variables: TierReferencesQueryVariables},
  "#graphql\n  query RewardVariantPrice($id: ID!) {\n    productVariant(id: $id) {\n      id\n      price\n    }\n  }\n": {return: RewardVariantPriceQuery, variables: RewardVariantPriceQueryVariables},
  "#graphql\n  query RewardDiscountByCode($code: String!) {\n    codeDiscountNodeByCode(code: $code) {\n      id\n    }\n  }\n": {return: RewardDiscountByCodeQuery, variables: RewardDiscountByCodeQueryVariables},
  "#graphql\n  query RewardStoreCreditCredits($customerId: ID!) {\n    customer(id: $customerId) {\n      storeCreditAccounts(first: 5) {\n        nodes {\n          transactions(first: 20, reverse: true, query: \"type:credit\") {\n            nodes {\n              ... on StoreCreditAccountCreditTransaction {\n                id\n                createdAt\n                amount { amount currencyCode }\n                origin { __typename }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: RewardStoreCreditCreditsQuery, variables: RewardStoreCreditCreditsQueryVariables},
  "#graphql\n  query CurrentAppInstallation {\n    currentAppInstallation { id }\n  }\n": {return: CurrentAppInstallationQuery, variables: CurrentAppInstallationQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation CustomerTagsAdd($id: ID!, $tags: [String!]!) {\n    tagsAdd(id: $id, tags: $tags) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: CustomerTagsAddMutation, variables: CustomerTagsAddMutationVariables},
  "#graphql\n  mutation CustomerTagsRemove($id: ID!, $tags: [String!]!) {\n    tagsRemove(id: $id, tags: $tags) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: CustomerTagsRemoveMutation, variables: CustomerTagsRemoveMutationVariables},
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
  "#graphql\n  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {\n    flowTriggerReceive(handle: $handle, payload: $payload) {\n      userErrors { field message }\n    }\n  }\n": {return: FlowTriggerReceiveMutation, variables: FlowTriggerReceiveMutationVariables},
}
declare module '../admin-api.server' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
