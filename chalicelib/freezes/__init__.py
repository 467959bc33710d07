"""Publishing freezes: a brand's or an account's, two admins to lift."""
