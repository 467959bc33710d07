"""Posts from draft to published: drafts, X length, approvals, calendar, mails, publisher."""
