/* A shared object that is not a ura plugin: no entry point. */
int not_a_plugin(void);
int not_a_plugin(void)
{
    return 42;
}
