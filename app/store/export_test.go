package store

// CampaignLockKey is campaignLockKey, for the tests that hold a campaign's
// lock as a writer would.
var CampaignLockKey = campaignLockKey
