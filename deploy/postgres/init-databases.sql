-- Run once by the postgres image, when its data volume is empty
-- (/docker-entrypoint-initdb.d): the product's database and Rasa's tracker store, as
-- `python -m rasa_bot.stack --scaled` creates them (rasa_bot/scaled.py PRODUCT_DB, RASA_DB).
CREATE DATABASE agent_assist;
CREATE DATABASE rasa;
