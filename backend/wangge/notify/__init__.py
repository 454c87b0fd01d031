"""Notifications: the transactional outbox, its delivery worker, in-app notifications and the signed webhook."""
