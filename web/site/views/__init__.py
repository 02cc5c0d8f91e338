"""The site's views, one module per area: accounts, dashboard, activities, coach, privacy."""
